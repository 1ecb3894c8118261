package io.github.optimization.cache;

import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The time rules of a cache with stale-while-revalidate, stale-if-error or refresh-ahead:
 * an entry is fresh for its TTL and physically kept for the TTL plus the longer of the
 * two stale windows, so a stale value is still at hand to serve while one background load
 * replaces it or when the loader fails. Instants on entries are in the cache's
 * {@link Ticker} time, so tests drive them with a fake ticker. Immutable and thread-safe.
 *
 * <p>
 * States of an entry at a given instant, in the order they come:
 * <ul>
 * <li>{@link #FRESH}: a hit, nothing else to do;
 * <li>{@link #DUE}: still a hit, but within {@code refreshAhead × TTL} of going stale: a
 * read with a loader starts one background refresh;
 * <li>{@link #REVALIDATE}: stale, within the stale-while-revalidate window: a read with a
 * loader returns it at once and starts one background refresh; a read without one misses;
 * <li>{@link #EXPIRED}: beyond that window: the caller loads; if the loader throws, the
 * entry is returned while it is within the stale-if-error window
 * ({@link #servesOnError}).
 * </ul>
 */
class Freshness {

	/**
	 * The rules of a cache with none of the three options: every entry is fresh and
	 * quiet, is kept exactly for its TTL, and is a plain {@link L1Entry}.
	 */
	static final Freshness NONE = new Plain();

	static final int FRESH = 0;

	static final int DUE = 1;

	static final int REVALIDATE = 2;

	static final int EXPIRED = 3;

	private final Ticker ticker;

	private final long revalidateNanos;

	private final long errorNanos;

	private final long extraMillis;

	private final double refreshAhead;

	private Freshness(CacheSpec spec, Ticker ticker) {
		this(ticker, spec.staleWhileRevalidate().toNanos(), spec.staleIfError().toNanos(),
				Math.max(spec.staleWhileRevalidate().toMillis(), spec.staleIfError().toMillis()), spec.refreshAhead());
	}

	private Freshness(Ticker ticker, long revalidateNanos, long errorNanos, long extraMillis, double refreshAhead) {
		this.ticker = ticker;
		this.revalidateNanos = revalidateNanos;
		this.errorNanos = errorNanos;
		this.extraMillis = extraMillis;
		this.refreshAhead = refreshAhead;
	}

	/**
	 * The rules of a cache, {@link #NONE} when all three options are off, in which case
	 * the cache works exactly as without them.
	 */
	static Freshness of(CacheSpec spec, Ticker ticker) {
		if (!hasStaleOptions(spec)) {
			return NONE;
		}
		return new Freshness(spec, ticker);
	}

	/** Whether a cache has stale-while-revalidate, stale-if-error or refresh-ahead. */
	static boolean hasStaleOptions(CacheSpec spec) {
		return !spec.staleWhileRevalidate().isZero() || !spec.staleIfError().isZero() || spec.refreshAhead() != 0;
	}

	/**
	 * Whether a value read from Redis is within its TTL (always, without the stale
	 * options).
	 * @param freshUntilMillis the fresh-until time in its envelope
	 * @param nowMillis the wall clock
	 */
	boolean isFreshInRedis(long freshUntilMillis, long nowMillis) {
		return freshUntilMillis - nowMillis > 0;
	}

	long now() {
		return this.ticker.read();
	}

	/**
	 * How long an entry fresh for {@code freshMillis} is kept, in Redis and at most in
	 * L1.
	 */
	long lifeMillis(long freshMillis) {
		return freshMillis + this.extraMillis;
	}

	/**
	 * A new entry.
	 * @param stored the stored form of the value
	 * @param lifeNanos its physical life in L1 (already capped)
	 * @param digest the key's digest, or {@code null}
	 * @param freshMillis how much longer it is fresh, negative if it is stale already
	 * @param ttlMillis the TTL it was written with, of which refresh-ahead takes its
	 * fraction
	 * @return the entry
	 */
	L1Entry entry(Object stored, long lifeNanos, String digest, long freshMillis, long ttlMillis) {
		long freshUntil = this.ticker.read() + TimeUnit.MILLISECONDS.toNanos(freshMillis);
		long aheadNanos = (long) (this.refreshAhead * TimeUnit.MILLISECONDS.toNanos(ttlMillis));
		return new TimedL1Entry(stored, lifeNanos, digest, freshUntil, freshUntil - aheadNanos);
	}

	/**
	 * Whether a read is a plain hit: fresh and no refresh due. One ticker read and one
	 * comparison; allocates nothing.
	 */
	boolean isQuiet(L1Entry entry) {
		return this.ticker.read() - ((TimedL1Entry) entry).refreshAtNanos < 0;
	}

	/** Whether the entry is fresh (a refresh may be due). */
	boolean isFresh(L1Entry entry) {
		return this.ticker.read() - ((TimedL1Entry) entry).freshUntilNanos < 0;
	}

	/** The entry's state at a ticker instant: {@link #FRESH}, {@link #DUE}, ... */
	int state(L1Entry entry, long now) {
		TimedL1Entry timed = (TimedL1Entry) entry;
		long stale = now - timed.freshUntilNanos;
		if (stale < 0) {
			return (now - timed.refreshAtNanos < 0) ? FRESH : DUE;
		}
		return (stale < this.revalidateNanos) ? REVALIDATE : EXPIRED;
	}

	/**
	 * Whether the entry may be returned in place of a loader failure at a ticker instant:
	 * while it is fresh, or stale by less than the stale-if-error window.
	 */
	boolean servesOnError(L1Entry entry, long now) {
		return now - ((TimedL1Entry) entry).freshUntilNanos < this.errorNanos;
	}

	/** The later-expiring of two entries, either of which may be {@code null}. */
	static L1Entry newer(L1Entry a, L1Entry b) {
		if (a == null) {
			return b;
		}
		if (b == null) {
			return a;
		}
		return (((TimedL1Entry) b).freshUntilNanos - ((TimedL1Entry) a).freshUntilNanos > 0) ? b : a;
	}

	/**
	 * No stale options: plain entries, always fresh and quiet, kept for their TTL; never
	 * served in place of a failure.
	 */
	private static final class Plain extends Freshness {

		private Plain() {
			super(Ticker.disabledTicker(), 0, 0, 0, 0);
		}

		@Override
		L1Entry entry(Object stored, long lifeNanos, String digest, long freshMillis, long ttlMillis) {
			return new L1Entry(stored, lifeNanos, digest);
		}

		@Override
		boolean isQuiet(L1Entry entry) {
			return true;
		}

		@Override
		boolean isFresh(L1Entry entry) {
			return true;
		}

		@Override
		boolean isFreshInRedis(long freshUntilMillis, long nowMillis) {
			return true;
		}

		@Override
		int state(L1Entry entry, long now) {
			return FRESH;
		}

		@Override
		boolean servesOnError(L1Entry entry, long now) {
			return false;
		}

	}

}
