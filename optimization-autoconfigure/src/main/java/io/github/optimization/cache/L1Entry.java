package io.github.optimization.cache;

import org.springframework.cache.Cache.ValueWrapper;

/**
 * A value held in the in-process level, with the life it was given. It is its own
 * {@link ValueWrapper}, so an L1 hit through {@code Cache.get(key)} allocates nothing.
 * Caches with stale-while-revalidate, stale-if-error or refresh-ahead hold
 * {@link TimedL1Entry}s, which also know when they stop being fresh; other caches hold
 * plain entries, as small as before those options existed.
 */
sealed class L1Entry implements ValueWrapper permits TimedL1Entry {

	/** Stands for a cached {@code null}. */
	static final Object NULL = new Object() {
		@Override
		public String toString() {
			return "NULL";
		}
	};

	final Object stored;

	final long lifeNanos;

	/**
	 * The key's digest when the cache tracks keys for invalidations, else {@code null}.
	 */
	final String digest;

	L1Entry(Object stored, long lifeNanos, String digest) {
		this.stored = stored;
		this.lifeNanos = lifeNanos;
		this.digest = digest;
	}

	@Override
	public final Object get() {
		return (this.stored == NULL) ? null : this.stored;
	}

}
