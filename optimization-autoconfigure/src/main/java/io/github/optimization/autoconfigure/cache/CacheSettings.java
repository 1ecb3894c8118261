package io.github.optimization.autoconfigure.cache;

import java.time.Duration;

/**
 * Settings of one cache (or of the defaults). A field left unset inherits.
 */
public class CacheSettings {

	/**
	 * Time to live of entries in Redis, and at most in the in-process level. Built-in
	 * default 1h.
	 */
	private Duration ttl;

	/**
	 * Time to live of cached null results. Built-in default 1m.
	 */
	private Duration nullTtl;

	/**
	 * Whether null results are cached (for 'null-ttl'). Built-in default true.
	 */
	private Boolean cacheNulls;

	/**
	 * Fraction in [0, 1) by which each entry's TTL is shortened at random, so entries
	 * written together do not expire together. Built-in default 0.05.
	 */
	private Double ttlJitter;

	/**
	 * How long a caller waits for another caller's load of the same key before loading
	 * itself. Built-in default 10s.
	 */
	private Duration loadWaitTimeout;

	/**
	 * How long after its TTL an entry is still returned at once while one background load
	 * replaces it (stale-while-revalidate). Built-in default 0s (off).
	 */
	private Duration staleWhileRevalidate;

	/**
	 * How long after its TTL an entry is still returned, and counted, when the loader
	 * throws (serve-stale-on-error); beyond it the exception propagates. Built-in default
	 * 0s (off).
	 */
	private Duration staleIfError;

	/**
	 * Fraction of the TTL, in [0, 1), before expiry within which a read starts one
	 * background load that replaces the entry, so a hot key never expires (e.g. 0.2: the
	 * last fifth of its life). Built-in default 0 (off).
	 */
	private Double refreshAhead;

	private final L1 l1 = new L1();

	private final L2 l2 = new L2();

	private final ClusterSingleFlight clusterSingleFlight = new ClusterSingleFlight();

	public Duration getStaleWhileRevalidate() {
		return this.staleWhileRevalidate;
	}

	public void setStaleWhileRevalidate(Duration staleWhileRevalidate) {
		this.staleWhileRevalidate = staleWhileRevalidate;
	}

	public Duration getStaleIfError() {
		return this.staleIfError;
	}

	public void setStaleIfError(Duration staleIfError) {
		this.staleIfError = staleIfError;
	}

	public Double getRefreshAhead() {
		return this.refreshAhead;
	}

	public void setRefreshAhead(Double refreshAhead) {
		this.refreshAhead = refreshAhead;
	}

	public ClusterSingleFlight getClusterSingleFlight() {
		return this.clusterSingleFlight;
	}

	public Duration getLoadWaitTimeout() {
		return this.loadWaitTimeout;
	}

	public void setLoadWaitTimeout(Duration loadWaitTimeout) {
		this.loadWaitTimeout = loadWaitTimeout;
	}

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	public Duration getNullTtl() {
		return this.nullTtl;
	}

	public void setNullTtl(Duration nullTtl) {
		this.nullTtl = nullTtl;
	}

	public Boolean getCacheNulls() {
		return this.cacheNulls;
	}

	public void setCacheNulls(Boolean cacheNulls) {
		this.cacheNulls = cacheNulls;
	}

	public Double getTtlJitter() {
		return this.ttlJitter;
	}

	public void setTtlJitter(Double ttlJitter) {
		this.ttlJitter = ttlJitter;
	}

	public L1 getL1() {
		return this.l1;
	}

	public L2 getL2() {
		return this.l2;
	}

	/**
	 * The in-process (Caffeine) level of a cache.
	 */
	public static class L1 {

		/**
		 * Whether the in-process level is used. Built-in default true.
		 */
		private Boolean enabled;

		/**
		 * Most entries the in-process level holds; it is always bounded. Built-in default
		 * 10000.
		 */
		private Long maximumSize;

		/**
		 * Hard cap on an entry's life in the in-process level when Redis is shared:
		 * bounds how long an instance may serve a value another instance replaced.
		 * Built-in default 5m.
		 */
		private Duration ttl;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

		public Long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(Long maximumSize) {
			this.maximumSize = maximumSize;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

	/**
	 * The shared (Redis) level of a cache.
	 */
	public static class L2 {

		/**
		 * Whether the shared Redis level is used when Redis is configured. Built-in
		 * default true.
		 */
		private Boolean enabled;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * One load of a cold key across all instances, through a lock in Redis.
	 */
	public static class ClusterSingleFlight {

		/**
		 * Whether a cold key is loaded by one instance while the others wait for its
		 * result in Redis (they load themselves after 'load-wait-timeout'). Without Redis
		 * each instance still loads a key once. Built-in default false.
		 */
		private Boolean enabled;

		/**
		 * Life of the lock in Redis: the longest a crashed holder can keep other
		 * instances waiting. Set it above the loader's longest call. Built-in default
		 * 30s.
		 */
		private Duration lockTtl;

		/**
		 * How often a waiting instance looks in Redis for the holder's result. Built-in
		 * default 10ms.
		 */
		private Duration pollInterval;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getLockTtl() {
			return this.lockTtl;
		}

		public void setLockTtl(Duration lockTtl) {
			this.lockTtl = lockTtl;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

	}

}
