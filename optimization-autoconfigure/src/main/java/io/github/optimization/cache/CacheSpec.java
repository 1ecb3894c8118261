package io.github.optimization.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one tiered cache. Immutable; build one with {@link #builder()}, which
 * rejects bad values at once with a message naming the property.
 *
 * @param ttl how long an entry lives in Redis (and at most in L1)
 * @param nullTtl how long a cached {@code null} lives
 * @param cacheNulls whether {@code null} results are cached
 * @param ttlJitter the fraction, in [0, 1), by which a TTL is shortened at random so keys
 * written together do not expire together
 * @param l1Enabled whether the in-process level is used
 * @param l1MaximumSize the most entries the in-process level holds
 * @param l1Ttl the hard cap on an entry's life in the in-process level, which bounds how
 * long an instance can serve a value another instance replaced
 * @param l2Enabled whether the shared (Redis) level is used
 * @param loadWaitTimeout how long a caller waits for another caller's load of the same
 * key before loading itself
 * @param staleWhileRevalidate how long after its TTL an entry is still returned at once
 * while one background load replaces it; {@link Duration#ZERO} turns this off
 * @param staleIfError how long after its TTL an entry is still returned when the loader
 * throws; {@link Duration#ZERO} turns this off
 * @param refreshAhead the fraction of the TTL, in [0, 1), before expiry within which a
 * read of an entry starts one background load that replaces it; 0 turns this off
 * @param clusterSingleFlight whether a cold key is loaded once across all instances (a
 * Redis lock per key) rather than once per instance
 * @param lockTtl how long a cluster-wide load lock lives in Redis, which bounds how long
 * a crashed holder can make others wait
 * @param lockPollInterval how often an instance waiting for another instance's load looks
 * for its result in Redis
 */
public record CacheSpec(Duration ttl, Duration nullTtl, boolean cacheNulls, double ttlJitter, boolean l1Enabled,
		long l1MaximumSize, Duration l1Ttl, boolean l2Enabled, Duration loadWaitTimeout, Duration staleWhileRevalidate,
		Duration staleIfError, double refreshAhead, boolean clusterSingleFlight, Duration lockTtl,
		Duration lockPollInterval) {

	/** Built-in default TTL. */
	public static final Duration DEFAULT_TTL = Duration.ofHours(1);

	/** Built-in default TTL of cached nulls. */
	public static final Duration DEFAULT_NULL_TTL = Duration.ofMinutes(1);

	/** Built-in default TTL jitter. */
	public static final double DEFAULT_TTL_JITTER = 0.05;

	/** Built-in default L1 size. */
	public static final long DEFAULT_L1_MAXIMUM_SIZE = 10_000;

	/** Built-in default L1 lifetime cap. */
	public static final Duration DEFAULT_L1_TTL = Duration.ofMinutes(5);

	/** Built-in default wait for another caller's load. */
	public static final Duration DEFAULT_LOAD_WAIT_TIMEOUT = Duration.ofSeconds(10);

	/** Built-in default life of a cluster-wide load lock. */
	public static final Duration DEFAULT_LOCK_TTL = Duration.ofSeconds(30);

	/** Built-in default interval at which a waiting instance looks for another's load. */
	public static final Duration DEFAULT_LOCK_POLL_INTERVAL = Duration.ofMillis(10);

	/** The built-in defaults. */
	public static CacheSpec defaults() {
		return builder().build("optimization.cache.defaults");
	}

	/** A builder starting from the built-in defaults. */
	public static Builder builder() {
		return new Builder();
	}

	/** A builder starting from this spec. */
	public Builder toBuilder() {
		Builder b = new Builder();
		b.ttl = this.ttl;
		b.nullTtl = this.nullTtl;
		b.cacheNulls = this.cacheNulls;
		b.ttlJitter = this.ttlJitter;
		b.l1Enabled = this.l1Enabled;
		b.l1MaximumSize = this.l1MaximumSize;
		b.l1Ttl = this.l1Ttl;
		b.l2Enabled = this.l2Enabled;
		b.loadWaitTimeout = this.loadWaitTimeout;
		b.staleWhileRevalidate = this.staleWhileRevalidate;
		b.staleIfError = this.staleIfError;
		b.refreshAhead = this.refreshAhead;
		b.clusterSingleFlight = this.clusterSingleFlight;
		b.lockTtl = this.lockTtl;
		b.lockPollInterval = this.lockPollInterval;
		return b;
	}

	/**
	 * Builds {@link CacheSpec}s. Not thread-safe.
	 */
	public static final class Builder {

		private Duration ttl = DEFAULT_TTL;

		private Duration nullTtl = DEFAULT_NULL_TTL;

		private boolean cacheNulls = true;

		private double ttlJitter = DEFAULT_TTL_JITTER;

		private boolean l1Enabled = true;

		private long l1MaximumSize = DEFAULT_L1_MAXIMUM_SIZE;

		private Duration l1Ttl = DEFAULT_L1_TTL;

		private boolean l2Enabled = true;

		private Duration loadWaitTimeout = DEFAULT_LOAD_WAIT_TIMEOUT;

		private Duration staleWhileRevalidate = Duration.ZERO;

		private Duration staleIfError = Duration.ZERO;

		private double refreshAhead;

		private boolean clusterSingleFlight;

		private Duration lockTtl = DEFAULT_LOCK_TTL;

		private Duration lockPollInterval = DEFAULT_LOCK_POLL_INTERVAL;

		private Builder() {
		}

		/** Set the stale-while-revalidate window ({@link Duration#ZERO}: off). */
		public Builder staleWhileRevalidate(Duration staleWhileRevalidate) {
			this.staleWhileRevalidate = staleWhileRevalidate;
			return this;
		}

		/**
		 * Set the most staleness served when the loader throws ({@link Duration#ZERO}:
		 * off).
		 */
		public Builder staleIfError(Duration staleIfError) {
			this.staleIfError = staleIfError;
			return this;
		}

		/** Set the refresh-ahead fraction of the TTL (0: off). */
		public Builder refreshAhead(double refreshAhead) {
			this.refreshAhead = refreshAhead;
			return this;
		}

		/** Set whether a cold key is loaded once across all instances. */
		public Builder clusterSingleFlight(boolean clusterSingleFlight) {
			this.clusterSingleFlight = clusterSingleFlight;
			return this;
		}

		/** Set the life of a cluster-wide load lock. */
		public Builder lockTtl(Duration lockTtl) {
			this.lockTtl = lockTtl;
			return this;
		}

		/** Set how often a waiting instance looks for another instance's load. */
		public Builder lockPollInterval(Duration lockPollInterval) {
			this.lockPollInterval = lockPollInterval;
			return this;
		}

		/** Set how long a caller waits for another caller's load of the same key. */
		public Builder loadWaitTimeout(Duration loadWaitTimeout) {
			this.loadWaitTimeout = loadWaitTimeout;
			return this;
		}

		/** Set the TTL. */
		public Builder ttl(Duration ttl) {
			this.ttl = ttl;
			return this;
		}

		/** Set the TTL of cached nulls. */
		public Builder nullTtl(Duration nullTtl) {
			this.nullTtl = nullTtl;
			return this;
		}

		/** Set whether nulls are cached. */
		public Builder cacheNulls(boolean cacheNulls) {
			this.cacheNulls = cacheNulls;
			return this;
		}

		/** Set the TTL jitter fraction. */
		public Builder ttlJitter(double ttlJitter) {
			this.ttlJitter = ttlJitter;
			return this;
		}

		/** Set whether the in-process level is used. */
		public Builder l1Enabled(boolean l1Enabled) {
			this.l1Enabled = l1Enabled;
			return this;
		}

		/** Set the in-process level's size. */
		public Builder l1MaximumSize(long l1MaximumSize) {
			this.l1MaximumSize = l1MaximumSize;
			return this;
		}

		/** Set the cap on an entry's life in the in-process level. */
		public Builder l1Ttl(Duration l1Ttl) {
			this.l1Ttl = l1Ttl;
			return this;
		}

		/** Set whether the shared level is used. */
		public Builder l2Enabled(boolean l2Enabled) {
			this.l2Enabled = l2Enabled;
			return this;
		}

		/**
		 * Validate and build.
		 * @param prefix the property prefix the values came from, used in messages, e.g.
		 * {@code optimization.cache.caches.users}
		 * @return the spec
		 * @throws InvalidCacheSpecException if a value is out of range
		 */
		public CacheSpec build(String prefix) {
			positive(prefix, "ttl", this.ttl);
			positive(prefix, "null-ttl", this.nullTtl);
			positive(prefix, "l1.ttl", this.l1Ttl);
			positive(prefix, "load-wait-timeout", this.loadWaitTimeout);
			notNegative(prefix, "stale-while-revalidate", this.staleWhileRevalidate);
			notNegative(prefix, "stale-if-error", this.staleIfError);
			positive(prefix, "cluster-single-flight.lock-ttl", this.lockTtl);
			positive(prefix, "cluster-single-flight.poll-interval", this.lockPollInterval);
			if (!(this.refreshAhead >= 0 && this.refreshAhead < 1)) {
				throw new InvalidCacheSpecException(prefix + ".refresh-ahead",
						"must be at least 0 and below 1 (a fraction of the TTL, e.g. 0.2), was " + this.refreshAhead);
			}
			if (!(this.ttlJitter >= 0 && this.ttlJitter < 1)) {
				throw new InvalidCacheSpecException(prefix + ".ttl-jitter",
						"must be at least 0 and below 1 (a fraction of the TTL), was " + this.ttlJitter);
			}
			if (this.l1MaximumSize <= 0) {
				throw new InvalidCacheSpecException(prefix + ".l1.maximum-size",
						"must be positive (the in-process level is always bounded), was " + this.l1MaximumSize);
			}
			if (!this.l1Enabled && !this.l2Enabled) {
				throw new InvalidCacheSpecException(prefix + ".l1.enabled",
						"and " + prefix + ".l2.enabled are both false: a cache needs at least one level");
			}
			return new CacheSpec(this.ttl, this.nullTtl, this.cacheNulls, this.ttlJitter, this.l1Enabled,
					this.l1MaximumSize, this.l1Ttl, this.l2Enabled, this.loadWaitTimeout, this.staleWhileRevalidate,
					this.staleIfError, this.refreshAhead, this.clusterSingleFlight, this.lockTtl,
					this.lockPollInterval);
		}

		private static void notNegative(String prefix, String name, Duration value) {
			Objects.requireNonNull(value, () -> prefix + "." + name + " must be set");
			if (value.isNegative()) {
				throw new InvalidCacheSpecException(prefix + "." + name,
						"must not be negative, was " + value + " (use 0s to turn it off, or e.g. 30s)");
			}
		}

		private static void positive(String prefix, String name, Duration value) {
			Objects.requireNonNull(value, () -> prefix + "." + name + " must be set");
			if (value.isNegative() || value.isZero() || value.toMillis() == 0) {
				throw new InvalidCacheSpecException(prefix + "." + name,
						"must be at least 1ms, was " + value + " (use e.g. 10m, 1h or 30s)");
			}
		}

	}

}
