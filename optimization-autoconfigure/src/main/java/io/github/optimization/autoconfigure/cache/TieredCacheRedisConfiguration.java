package io.github.optimization.autoconfigure.cache;

import java.time.Clock;
import java.time.Duration;

import io.github.optimization.cache.InvalidCacheSpecException;
import io.github.optimization.cache.L2Guard;
import io.github.optimization.cache.L2Store;
import io.github.optimization.cache.redis.RedisConnectionSettings;
import io.github.optimization.cache.redis.RedisInvalidationBus;
import io.github.optimization.cache.redis.RedisL2Store;
import io.github.optimization.cache.redis.TieredCacheRedisConnection;
import io.github.optimization.resilience.CircuitBreakerL2Guard;
import io.github.optimization.resilience.GuardedInvalidationPublisher;
import io.github.optimization.resilience.GuardedRunIdSource;
import io.github.optimization.resilience.RedisCircuitBreakerDefaults;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.RedisClient;

import io.github.optimization.cache.TieredCacheManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The Redis level of the tiered caches, when spring-data-redis is present and a
 * connection factory is configured: the cache's own connection, the circuit breaker in
 * front of it, the store, and the invalidation bus between instances.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, CircuitBreaker.class })
@ConditionalOnBean(RedisConnectionFactory.class)
class TieredCacheRedisConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TieredCacheRedisConnection tieredCacheRedisConnection(RedisConnectionFactory connectionFactory,
			TieredCacheProperties properties) {
		validate(properties);
		return new TieredCacheRedisConnection(connectionFactory, connectionSettings(properties));
	}

	/**
	 * The connection's settings. The invalidation subscription's commands (SUBSCRIBE,
	 * PING) may wait the longer of the connect and the pong timeout.
	 */
	private static RedisConnectionSettings connectionSettings(TieredCacheProperties properties) {
		RedisSettings redis = properties.getRedis();
		Duration connect = redis.getConnectTimeout();
		Duration pong = properties.getInvalidation().getPongTimeout();
		return new RedisConnectionSettings(redis.isDedicatedConnection(), redis.getCommandTimeout(), connect,
				(pong.compareTo(connect) > 0) ? pong : connect, redis.getReconnectDelayMax(),
				redis.getRequestQueueSize());
	}

	@Bean
	static SmartInitializingSingleton tieredCacheRedisProbe(ObjectProvider<TieredCacheRedisConnection> connection) {
		return () -> connection.ifAvailable(TieredCacheRedisConnection::probeInBackground);
	}

	@Bean
	@ConditionalOnMissingBean(L2Guard.class)
	CircuitBreakerL2Guard tieredCacheRedisGuard(TieredCacheProperties properties,
			ObjectProvider<CircuitBreakerRegistry> registry) {
		RedisSettings.CircuitBreaker settings = properties.getRedis().getCircuitBreaker();
		Duration slow = (settings.getSlowCallDuration() != null) ? settings.getSlowCallDuration()
				: properties.getRedis().getCommandTimeout().multipliedBy(4).dividedBy(5);
		CircuitBreakerConfig config = RedisCircuitBreakerDefaults.config(
				new RedisCircuitBreakerDefaults.Settings(settings.getSlidingWindowSize(),
						settings.getMinimumNumberOfCalls(), settings.getFailureRateThreshold(),
						settings.getSlowCallRateThreshold(), slow, settings.getWaitDurationInOpenState(),
						settings.getPermittedCallsInHalfOpenState(), settings.getMaxWaitDurationInHalfOpenState()),
				Clock.systemUTC());
		CircuitBreakerRegistry breakers = registry.getIfAvailable();
		// An instance of the same name configured in resilience4j's own properties wins.
		CircuitBreaker breaker = (breakers != null) ? breakers.circuitBreaker(settings.getName(), config)
				: CircuitBreaker.of(settings.getName(), config);
		return new CircuitBreakerL2Guard(breaker);
	}

	@Bean
	@ConditionalOnMissingBean
	L2Store tieredCacheL2Store(TieredCacheRedisConnection connection) {
		return new RedisL2Store(connection.getConnectionFactory());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	@ConditionalOnClass(RedisClient.class)
	@ConditionalOnProperty(prefix = "optimization.cache.invalidation", name = "enabled", matchIfMissing = true)
	RedisInvalidationBus tieredCacheInvalidationBus(TieredCacheProperties properties,
			TieredCacheRedisConnection connection, L2Store store, L2Guard guard) {
		InvalidationSettings settings = properties.getInvalidation();
		String channel = (settings.getChannel() != null) ? settings.getChannel()
				: properties.getRedis().getKeyPrefix() + "invalidations";
		RedisInvalidationBus.Settings busSettings = new RedisInvalidationBus.Settings(channel,
				settings.getPingInterval(), settings.getPongTimeout(), settings.getQueueCapacity(),
				(int) settings.getMaxMessageSize().toBytes());
		return connection.getLettuceFactory()
			.map((lettuce) -> RedisInvalidationBus.subscribingWith(busSettings, lettuce,
					new GuardedInvalidationPublisher(store, guard), new GuardedRunIdSource(guard, connection)))
			.orElse(null);
	}

	@Bean
	@ConditionalOnBean(RedisInvalidationBus.class)
	static SmartInitializingSingleton tieredCacheInvalidationStarter(ObjectProvider<RedisInvalidationBus> bus,
			ObjectProvider<TieredCacheManager> manager) {
		return () -> {
			RedisInvalidationBus invalidations = bus.getIfAvailable();
			TieredCacheManager caches = manager.getIfUnique();
			if (invalidations != null && caches != null) {
				invalidations.attach(caches);
				invalidations.start();
			}
		};
	}

	static void validate(TieredCacheProperties properties) {
		RedisSettings redis = properties.getRedis();
		positive("optimization.cache.redis.command-timeout", redis.getCommandTimeout());
		positive("optimization.cache.redis.connect-timeout", redis.getConnectTimeout());
		positive("optimization.cache.redis.reconnect-delay-max", redis.getReconnectDelayMax());
		atLeast("optimization.cache.redis.request-queue-size", redis.getRequestQueueSize(), 1);
		RedisSettings.CircuitBreaker breaker = redis.getCircuitBreaker();
		atLeast("optimization.cache.redis.circuit-breaker.sliding-window-size", breaker.getSlidingWindowSize(), 1);
		atLeast("optimization.cache.redis.circuit-breaker.minimum-number-of-calls", breaker.getMinimumNumberOfCalls(),
				1);
		atLeast("optimization.cache.redis.circuit-breaker.permitted-calls-in-half-open-state",
				breaker.getPermittedCallsInHalfOpenState(), 1);
		percentage("optimization.cache.redis.circuit-breaker.failure-rate-threshold",
				breaker.getFailureRateThreshold());
		percentage("optimization.cache.redis.circuit-breaker.slow-call-rate-threshold",
				breaker.getSlowCallRateThreshold());
		positive("optimization.cache.redis.circuit-breaker.wait-duration-in-open-state",
				breaker.getWaitDurationInOpenState());
		if (breaker.getSlowCallDuration() != null) {
			positive("optimization.cache.redis.circuit-breaker.slow-call-duration", breaker.getSlowCallDuration());
		}
		if (breaker.getMaxWaitDurationInHalfOpenState().isNegative()) {
			throw new InvalidCacheSpecException(
					"optimization.cache.redis.circuit-breaker.max-wait-duration-in-half-open-state",
					"must not be negative (0 waits for the probes)");
		}
		InvalidationSettings invalidation = properties.getInvalidation();
		positive("optimization.cache.invalidation.ping-interval", invalidation.getPingInterval());
		positive("optimization.cache.invalidation.pong-timeout", invalidation.getPongTimeout());
		atLeast("optimization.cache.invalidation.queue-capacity", invalidation.getQueueCapacity(), 1);
		if (invalidation.getMaxMessageSize().toBytes() < 256) {
			throw new InvalidCacheSpecException("optimization.cache.invalidation.max-message-size",
					"must be at least 256B (a message with a long cache name must fit), was "
							+ invalidation.getMaxMessageSize());
		}
	}

	private static void positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidCacheSpecException(property, "must be positive, was " + value);
		}
	}

	private static void atLeast(String property, int value, int minimum) {
		if (value < minimum) {
			throw new InvalidCacheSpecException(property, "must be at least " + minimum + ", was " + value);
		}
	}

	private static void percentage(String property, float value) {
		if (!(value > 0 && value <= 100)) {
			throw new InvalidCacheSpecException(property, "must be above 0 and at most 100, was " + value);
		}
	}

}
