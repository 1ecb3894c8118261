package io.github.optimization.autoconfigure.cache;

import java.time.Duration;

/**
 * How the cache uses Redis.
 */
public class RedisSettings {

	/**
	 * Prefix of every key the cache writes, to keep applications sharing a Redis apart.
	 */
	private String keyPrefix = "opt:";

	/**
	 * Version of the cached data's shape, part of every key. Increase it when a deploy
	 * changes cached classes incompatibly: the new version reads misses, not old shapes.
	 */
	private int schemaVersion = 1;

	/**
	 * Whether the cache talks to Redis over its own connection, configured for outages
	 * (short command timeout, commands rejected while disconnected, keepalive, capped
	 * reconnect delay), built from the application's Redis settings. When false, the
	 * application's connection factory is used as it is.
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

}
