package io.github.optimization.cache;

import org.springframework.cache.Cache.ValueWrapper;

/**
 * A value held in the in-process level, with the life it was given. It is its own
 * {@link ValueWrapper}, so an L1 hit through {@code Cache.get(key)} allocates nothing.
 */
final class L1Entry implements ValueWrapper {

	/** Stands for a cached {@code null}. */
	static final Object NULL = new Object() {
		@Override
		public String toString() {
			return "NULL";
		}
	};

	final Object stored;

	final long lifeNanos;

	L1Entry(Object stored, long lifeNanos) {
		this.stored = stored;
		this.lifeNanos = lifeNanos;
	}

	@Override
	public Object get() {
		return (this.stored == NULL) ? null : this.stored;
	}

}
