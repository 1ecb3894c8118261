package io.github.optimization.cache;

import java.util.Locale;

/**
 * What started a background refresh of a cache entry.
 */
public enum RefreshTrigger {

	/** A read found the entry stale but within its stale-while-revalidate window. */
	STALE,

	/** A read found the entry fresh but within its refresh-ahead share of the TTL. */
	AHEAD;

	private final String tagValue = name().toLowerCase(Locale.ROOT);

	/** Lowercase tag value: {@code stale} or {@code ahead}. */
	public String tagValue() {
		return this.tagValue;
	}

}
