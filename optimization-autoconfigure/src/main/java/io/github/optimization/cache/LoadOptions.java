package io.github.optimization.cache;

import java.time.Duration;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JavaType;

/**
 * How one {@link TieredCache#getOrLoad} call loads and stores: a TTL that overrides the
 * cache's, the declared type values decode into, and a test that decides whether a loaded
 * value is stored. Immutable.
 *
 * @param ttl the TTL for stored values, or {@code null} for the cache's TTL
 * @param type the declared type of the values, or {@code null} to rely on the type
 * allow-list of the codec
 * @param storeIf whether a loaded value is stored, or {@code null} to store every value
 */
public record LoadOptions(Duration ttl, JavaType type, Predicate<Object> storeIf) {

	/** The cache's own TTL, no declared type, store everything. */
	public static final LoadOptions DEFAULT = new LoadOptions(null, null, null);

	/**
	 * A store condition that stores nothing: a read with it returns cached values but
	 * neither stores what it loads nor starts a background refresh.
	 */
	public static final Predicate<Object> STORE_NOTHING = (value) -> false;

	/**
	 * Whether this call stores nothing it loads ({@link #STORE_NOTHING}).
	 * @return whether loads of this call are never stored
	 */
	public boolean storesNothing() {
		return this.storeIf == STORE_NOTHING;
	}

	/**
	 * Whether a loaded value is to be stored.
	 * @param value the value, may be {@code null}
	 * @return whether to store it
	 */
	public boolean shouldStore(Object value) {
		return this.storeIf == null || this.storeIf.test(value);
	}

}
