package io.github.optimization.cache;

import java.time.Duration;

import io.github.optimization.cache.codec.Decoded;

/**
 * Reads of a cache without stale options: a value Redis holds is a hit. A caller with a
 * loader reads Redis before it enters a flight, so a hit costs no flight; its L1 fill is
 * stamped with a ticket taken before the read.
 */
final class PlainL2Reads extends L2Reads {

	PlainL2Reads(L1Tier l1, L2Tier l2, Lifetimes lifetimes, Versions versions, TieredCacheStatistics stats) {
		super(l1, l2, lifetimes, versions, stats);
	}

	@Override
	Object readFirst(Object key, LoadOptions options) {
		Stamp stamp = stampForFill(key);
		Decoded decoded = this.l2.read(key, options.type());
		if (decoded == null || decoded == L2Tier.UNAVAILABLE) {
			return decoded;
		}
		return served(key, decoded, options.ttl(), stamp, null);
	}

	@Override
	Object served(Object key, Decoded decoded, Duration ttlOverride, Stamp stamp, Flight flight) {
		Object stored = stored(decoded);
		this.stats.l2Hits.increment();
		if (stamp != null) {
			fill(key, stored, decoded.expiresAtEpochMillis(), ttlOverride, stamp, flight);
		}
		return stored;
	}

}
