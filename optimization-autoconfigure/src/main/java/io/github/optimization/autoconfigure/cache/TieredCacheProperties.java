package io.github.optimization.autoconfigure.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the two-level cache. A key under {@code optimization.cache} that names
 * no setting fails startup.
 */
@ConfigurationProperties(prefix = "optimization.cache", ignoreUnknownFields = false)
public class TieredCacheProperties {

	/**
	 * Whether to auto-configure the two-level cache manager.
	 */
	private boolean enabled = true;

	/**
	 * Whether caches not listed under 'caches' are created on first use with the
	 * defaults.
	 */
	private boolean dynamic = true;

	/**
	 * Most caches created on first use; beyond it unknown cache names are refused (and
	 * logged), so names from input cannot grow memory and meters without bound.
	 */
	private int dynamicLimit = 100;

	/**
	 * Order of the @TieredCacheable advisor. The default puts the cache outside
	 * resilience4j's aspects and transactions, so a hit skips them.
	 */
	private int advisorOrder = Ordered.LOWEST_PRECEDENCE - 100;

	/**
	 * Settings every cache starts from.
	 */
	private final CacheSettings defaults = new CacheSettings();

	/**
	 * Per-cache settings, by cache name. Unset fields inherit from 'defaults'.
	 */
	private final Map<String, CacheSettings> caches = new LinkedHashMap<>();

	private final Redis redis = new Redis();

	private final Codec codec = new Codec();

	private final Invalidation invalidation = new Invalidation();

	private final Health health = new Health();

	private final Refresh refresh = new Refresh();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isDynamic() {
		return this.dynamic;
	}

	public void setDynamic(boolean dynamic) {
		this.dynamic = dynamic;
	}

	public int getDynamicLimit() {
		return this.dynamicLimit;
	}

	public void setDynamicLimit(int dynamicLimit) {
		this.dynamicLimit = dynamicLimit;
	}

	public int getAdvisorOrder() {
		return this.advisorOrder;
	}

	public void setAdvisorOrder(int advisorOrder) {
		this.advisorOrder = advisorOrder;
	}

	public CacheSettings getDefaults() {
		return this.defaults;
	}

	public Map<String, CacheSettings> getCaches() {
		return this.caches;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Codec getCodec() {
		return this.codec;
	}

	public Invalidation getInvalidation() {
		return this.invalidation;
	}

	public Health getHealth() {
		return this.health;
	}

	public Refresh getRefresh() {
		return this.refresh;
	}

	/**
	 * The threads that run background refreshes (stale-while-revalidate, refresh-ahead)
	 * of every cache: they call loaders, so they may block as long as a loader takes.
	 */
	public static class Refresh {

		/**
		 * Threads that run background refreshes; at most this many loaders run at once in
		 * the background.
		 */
		private int threads = 4;

		/**
		 * Refreshes that may wait for a thread; a refresh beyond it is dropped (counted
		 * as a failed refresh) and the stale value is served until a later read starts
		 * one.
		 */
		private int queueCapacity = 1000;

		public int getThreads() {
			return this.threads;
		}

		public void setThreads(int threads) {
			this.threads = threads;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

	}

	/**
	 * Settings of one cache (or of the defaults). A field left unset inherits.
	 */
	public static class CacheSettings {

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
		 * How long a caller waits for another caller's load of the same key before
		 * loading itself. Built-in default 10s.
		 */
		private Duration loadWaitTimeout;

		/**
		 * How long after its TTL an entry is still returned at once while one background
		 * load replaces it (stale-while-revalidate). Built-in default 0s (off).
		 */
		private Duration staleWhileRevalidate;

		/**
		 * How long after its TTL an entry is still returned, and counted, when the loader
		 * throws (serve-stale-on-error); beyond it the exception propagates. Built-in
		 * default 0s (off).
		 */
		private Duration staleIfError;

		/**
		 * Fraction of the TTL, in [0, 1), before expiry within which a read starts one
		 * background load that replaces the entry, so a hot key never expires (e.g. 0.2:
		 * the last fifth of its life). Built-in default 0 (off).
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
	 * How the cache uses Redis.
	 */
	public static class Redis {

		/**
		 * Prefix of every key the cache writes, to keep applications sharing a Redis
		 * apart.
		 */
		private String keyPrefix = "opt:";

		/**
		 * Version of the cached data's shape, part of every key. Increase it when a
		 * deploy changes cached classes incompatibly: the new version reads misses, not
		 * old shapes.
		 */
		private int schemaVersion = 1;

		/**
		 * Whether the cache talks to Redis over its own connection, configured for
		 * outages (short command timeout, commands rejected while disconnected,
		 * keepalive, capped reconnect delay), built from the application's Redis
		 * settings. When false, the application's connection factory is used as it is.
		 */
		private boolean dedicatedConnection = true;

		/**
		 * Timeout of each cache command on the dedicated connection. Independent of
		 * spring.data.redis.timeout, which the rest of the application keeps.
		 */
		private Duration commandTimeout = Duration.ofMillis(50);

		/**
		 * Timeout for establishing the dedicated connection.
		 */
		private Duration connectTimeout = Duration.ofSeconds(1);

		/**
		 * Longest delay between reconnection attempts of the dedicated connection.
		 */
		private Duration reconnectDelayMax = Duration.ofSeconds(2);

		/**
		 * Most commands the dedicated connection queues before rejecting more.
		 */
		private int requestQueueSize = 1024;

		private final CircuitBreaker circuitBreaker = new CircuitBreaker();

		public boolean isDedicatedConnection() {
			return this.dedicatedConnection;
		}

		public void setDedicatedConnection(boolean dedicatedConnection) {
			this.dedicatedConnection = dedicatedConnection;
		}

		public Duration getCommandTimeout() {
			return this.commandTimeout;
		}

		public void setCommandTimeout(Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReconnectDelayMax() {
			return this.reconnectDelayMax;
		}

		public void setReconnectDelayMax(Duration reconnectDelayMax) {
			this.reconnectDelayMax = reconnectDelayMax;
		}

		public int getRequestQueueSize() {
			return this.requestQueueSize;
		}

		public void setRequestQueueSize(int requestQueueSize) {
			this.requestQueueSize = requestQueueSize;
		}

		public CircuitBreaker getCircuitBreaker() {
			return this.circuitBreaker;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public int getSchemaVersion() {
			return this.schemaVersion;
		}

		public void setSchemaVersion(int schemaVersion) {
			this.schemaVersion = schemaVersion;
		}

	}

	/**
	 * How values are encoded in Redis.
	 */
	public static class Codec {

		/**
		 * Values whose JSON is larger than this are compressed with zstd.
		 */
		private DataSize compressionThreshold = DataSize.ofKilobytes(1);

		/**
		 * Largest encoded value written to or accepted from Redis. Larger values are not
		 * written (counted); larger bytes read are a miss (counted).
		 */
		private DataSize maxValueSize = DataSize.ofMegabytes(1);

		/**
		 * Largest size a compressed value may expand to; anything claiming more is
		 * refused before decompression.
		 */
		private DataSize maxDecompressedSize = DataSize.ofMegabytes(16);

		/**
		 * Packages whose classes may be read back for caches without a declared type
		 * (plain
		 * @Cacheable). The application's own packages (those of @SpringBootApplication)
		 * and JDK value types are always allowed.
		 */
		private List<String> allowedPackages = new ArrayList<>();

		public DataSize getCompressionThreshold() {
			return this.compressionThreshold;
		}

		public void setCompressionThreshold(DataSize compressionThreshold) {
			this.compressionThreshold = compressionThreshold;
		}

		public DataSize getMaxValueSize() {
			return this.maxValueSize;
		}

		public void setMaxValueSize(DataSize maxValueSize) {
			this.maxValueSize = maxValueSize;
		}

		public DataSize getMaxDecompressedSize() {
			return this.maxDecompressedSize;
		}

		public void setMaxDecompressedSize(DataSize maxDecompressedSize) {
			this.maxDecompressedSize = maxDecompressedSize;
		}

		public List<String> getAllowedPackages() {
			return this.allowedPackages;
		}

		public void setAllowedPackages(List<String> allowedPackages) {
			this.allowedPackages = allowedPackages;
		}

	}

	/**
	 * The circuit breaker in front of the Redis level. A resilience4j instance of the
	 * same name configured under resilience4j.circuitbreaker.instances replaces these
	 * settings.
	 */
	public static class CircuitBreaker {

		/**
		 * Name of the breaker (also its name in resilience4j's registry and meters).
		 */
		private String name = "optimization-cache-redis";

		/**
		 * Number of calls in the count-based sliding window.
		 */
		private int slidingWindowSize = 20;

		/**
		 * Calls needed in the window before the breaker may open.
		 */
		private int minimumNumberOfCalls = 10;

		/**
		 * Percentage of failed calls (connection failures, timeouts) that opens the
		 * breaker.
		 */
		private float failureRateThreshold = 50;

		/**
		 * Percentage of slow calls that opens the breaker.
		 */
		private float slowCallRateThreshold = 50;

		/**
		 * How long a call must take to count as slow. Defaults to 80% of the command
		 * timeout.
		 */
		private Duration slowCallDuration;

		/**
		 * How long the breaker stays open before letting probes through.
		 */
		private Duration waitDurationInOpenState = Duration.ofSeconds(5);

		/**
		 * Probe calls let through while half-open.
		 */
		private int permittedCallsInHalfOpenState = 3;

		/**
		 * Longest time the breaker may stay half-open waiting for its probes before it
		 * opens again; 0 waits until they complete (each is bounded by the command
		 * timeout, and the invalidation watchdog sends one every ping interval, so even
		 * an instance with no traffic closes it once Redis is back).
		 */
		private Duration maxWaitDurationInHalfOpenState = Duration.ZERO;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public int getSlidingWindowSize() {
			return this.slidingWindowSize;
		}

		public void setSlidingWindowSize(int slidingWindowSize) {
			this.slidingWindowSize = slidingWindowSize;
		}

		public int getMinimumNumberOfCalls() {
			return this.minimumNumberOfCalls;
		}

		public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
			this.minimumNumberOfCalls = minimumNumberOfCalls;
		}

		public float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
		}

		public float getSlowCallRateThreshold() {
			return this.slowCallRateThreshold;
		}

		public void setSlowCallRateThreshold(float slowCallRateThreshold) {
			this.slowCallRateThreshold = slowCallRateThreshold;
		}

		public Duration getSlowCallDuration() {
			return this.slowCallDuration;
		}

		public void setSlowCallDuration(Duration slowCallDuration) {
			this.slowCallDuration = slowCallDuration;
		}

		public Duration getWaitDurationInOpenState() {
			return this.waitDurationInOpenState;
		}

		public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
			this.waitDurationInOpenState = waitDurationInOpenState;
		}

		public int getPermittedCallsInHalfOpenState() {
			return this.permittedCallsInHalfOpenState;
		}

		public void setPermittedCallsInHalfOpenState(int permittedCallsInHalfOpenState) {
			this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
		}

		public Duration getMaxWaitDurationInHalfOpenState() {
			return this.maxWaitDurationInHalfOpenState;
		}

		public void setMaxWaitDurationInHalfOpenState(Duration maxWaitDurationInHalfOpenState) {
			this.maxWaitDurationInHalfOpenState = maxWaitDurationInHalfOpenState;
		}

	}

	/**
	 * Invalidation messages between instances sharing a Redis.
	 */
	public static class Invalidation {

		/**
		 * Whether puts and evictions are published to other instances, and theirs
		 * applied.
		 */
		private boolean enabled = true;

		/**
		 * Channel of the messages. Defaults to the key prefix followed by
		 * "invalidations", so applications with different prefixes never see each other's
		 * messages.
		 */
		private String channel;

		/**
		 * How often the subscription is checked with a PING (and re-established if lost).
		 */
		private Duration pingInterval = Duration.ofSeconds(5);

		/**
		 * How long a PING on the subscription may take before it is deemed dead, which
		 * drops every in-process entry and replaces the subscription.
		 */
		private Duration pongTimeout = Duration.ofSeconds(1);

		/**
		 * Messages waiting to be applied before newer ones are dropped (which drops every
		 * in-process entry instead).
		 */
		private int queueCapacity = 10_000;

		/**
		 * Largest message accepted; larger ones are dropped and counted.
		 */
		private DataSize maxMessageSize = DataSize.ofKilobytes(4);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getChannel() {
			return this.channel;
		}

		public void setChannel(String channel) {
			this.channel = channel;
		}

		public Duration getPingInterval() {
			return this.pingInterval;
		}

		public void setPingInterval(Duration pingInterval) {
			this.pingInterval = pingInterval;
		}

		public Duration getPongTimeout() {
			return this.pongTimeout;
		}

		public void setPongTimeout(Duration pongTimeout) {
			this.pongTimeout = pongTimeout;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

	}

	/**
	 * The health contributor of the tiered caches.
	 */
	public static class Health {

		/**
		 * Whether the contributor reports OUT_OF_SERVICE (instead of UP with a "degraded"
		 * detail) while the Redis level is unavailable. Only then can it take an instance
		 * out of a readiness group that includes it; liveness never includes it.
		 */
		private boolean failWhenDegraded = false;

		public boolean isFailWhenDegraded() {
			return this.failWhenDegraded;
		}

		public void setFailWhenDegraded(boolean failWhenDegraded) {
			this.failWhenDegraded = failWhenDegraded;
		}

	}

}
