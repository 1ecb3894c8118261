package io.github.optimization.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How long the entries of one cache live: the TTL of a value (per call or the cache's, at
 * most the null TTL for a cached {@code null}) shortened by the jitter, how long it is
 * kept beyond that for the stale options, and how long an in-process copy may live (at
 * most the L1 lifetime cap, which bounds staleness when a peer's invalidation is lost).
 * Every L1 entry is made here, so a cache with stale options holds only timed ones.
 * Immutable and thread-safe.
 */
final class Lifetimes {

	private final CacheSpec spec;

	private final Freshness freshness;

	private final L1Tier l1;

	private final Clock clock;

	private final long l1CapNanos;

	/**
	 * @param shared whether a shared level backs the cache: without one there are no
	 * peers whose writes L1 could miss, so only the TTL bounds an entry's life
	 */
	Lifetimes(CacheSpec spec, Freshness freshness, L1Tier l1, Clock clock, boolean shared) {
		this.spec = spec;
		this.freshness = freshness;
		this.l1 = l1;
		this.clock = clock;
		this.l1CapNanos = shared ? spec.l1Ttl().toNanos() : Long.MAX_VALUE;
	}

	/** The wall clock of the expiry times stored with values in Redis. */
	long nowMillis() {
		return this.clock.millis();
	}

	/**
	 * The TTL of a value before jitter: the per-call or cache TTL, at most the null TTL
	 * for null.
	 */
	long nominalTtlMillis(Object value, Duration ttlOverride) {
		long ttl = ((ttlOverride != null) ? ttlOverride : this.spec.ttl()).toMillis();
		if (value == null || value == L1Entry.NULL) {
			ttl = Math.min(ttl, this.spec.nullTtl().toMillis());
		}
		return ttl;
	}

	/** The TTL of a value to store: the nominal TTL, shortened by the jitter. */
	long ttlMillis(Object value, Duration ttlOverride) {
		long ttl = nominalTtlMillis(value, ttlOverride);
		double jitter = this.spec.ttlJitter();
		if (jitter > 0) {
			ttl -= (long) (ThreadLocalRandom.current().nextDouble() * jitter * ttl);
		}
		return Math.max(1, ttl);
	}

	/** How long a value stored with a TTL is kept: longer with the stale options. */
	long lifeMillis(long ttlMillis) {
		return this.freshness.lifeMillis(ttlMillis);
	}

	/**
	 * Whether a value read from Redis is within its TTL (always, without the stale
	 * options).
	 */
	boolean isFreshInRedis(long freshUntilMillis) {
		return this.freshness.isFreshInRedis(freshUntilMillis, nowMillis());
	}

	/**
	 * A new L1 entry.
	 * @param freshMillis how much longer the value is fresh (negative if stale already)
	 * @param lifeMillis how much longer it is kept (capped here by the L1 lifetime cap)
	 * @param ttlMillis the TTL it was written with (for refresh-ahead)
	 * @param flight the flight that read or loaded it, or {@code null}
	 */
	L1Entry entry(Object key, Object stored, long freshMillis, long lifeMillis, long ttlMillis, Flight flight) {
		String digest = (flight != null && flight.digest != null) ? flight.digest : this.l1.digestOf(key);
		long lifeNanos = Math.min(this.l1CapNanos, TimeUnit.MILLISECONDS.toNanos(lifeMillis));
		return this.freshness.entry(stored, lifeNanos, digest, freshMillis, ttlMillis);
	}

	/** The L1 entry of a value stored now with a TTL (and its life from the TTL). */
	L1Entry stored(Object key, Object value, long ttlMillis, Flight flight) {
		return entry(key, (value != null) ? value : L1Entry.NULL, ttlMillis, lifeMillis(ttlMillis), ttlMillis, flight);
	}

	/**
	 * The L1 entry of a value read from Redis, fresh until the time in its envelope and
	 * kept for its remaining physical life, or {@code null} if that life is over.
	 */
	L1Entry fromRedis(Object key, Object stored, long freshUntilMillis, Duration ttlOverride, Flight flight) {
		long freshMillis = freshUntilMillis - nowMillis();
		long lifeMillis = lifeMillis(freshMillis);
		if (lifeMillis <= 0) {
			return null;
		}
		return entry(key, stored, freshMillis, lifeMillis, nominalTtlMillis(stored, ttlOverride), flight);
	}

}
