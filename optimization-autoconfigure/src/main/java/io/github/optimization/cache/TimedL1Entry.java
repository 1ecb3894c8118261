package io.github.optimization.cache;

/**
 * An in-process entry of a cache whose entries outlive their freshness
 * (stale-while-revalidate, stale-if-error) or are refreshed before they expire
 * (refresh-ahead). Its {@code lifeNanos} is the physical life; the two instants below are
 * read on every hit, so they are plain longs in the cache's
 * {@link com.github.benmanes.caffeine.cache.Ticker} time.
 */
final class TimedL1Entry extends L1Entry {

	/** Ticker time from which the entry is stale. */
	final long freshUntilNanos;

	/**
	 * Ticker time from which a read with a loader looks closer: a refresh-ahead is due,
	 * or the entry is stale. Equal to {@link #freshUntilNanos} without refresh-ahead.
	 */
	final long refreshAtNanos;

	TimedL1Entry(Object stored, long lifeNanos, String digest, long freshUntilNanos, long refreshAtNanos) {
		super(stored, lifeNanos, digest);
		this.freshUntilNanos = freshUntilNanos;
		this.refreshAtNanos = refreshAtNanos;
	}

}
