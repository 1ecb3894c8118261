package io.github.optimization.autoconfigure.health;

import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.autoconfigure.cache.TieredCacheProperties;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.cache.redis.InvalidationBusState;
import io.github.optimization.cache.redis.TieredCacheRedisConnection;
import io.github.optimization.health.TieredCacheHealth;
import io.github.optimization.health.TieredCacheHealthIndicator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import ${boot.health.autoconfigure.package}.ConditionalOnEnabledHealthIndicator;
import ${boot.health.package}.HealthIndicator;

/**
 * The {@code tieredCache} health contributor. It is not added to the liveness group; add
 * it to the readiness group yourself (with {@code optimization.cache.health.fail-when-degraded})
 * if a Redis outage should take an instance out of rotation. A template: each Boot line compiles
 * it with its own packages of the health types.
 */
@AutoConfiguration(after = TieredCacheAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(TieredCacheManager.class)
@ConditionalOnEnabledHealthIndicator("tieredcache")
public class TieredCacheHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "tieredCacheHealthIndicator")
	TieredCacheHealthIndicator tieredCacheHealthIndicator(TieredCacheManager manager, TieredCacheProperties properties,
			ObjectProvider<TieredCacheRedisConnection> connection, ObjectProvider<InvalidationBusState> bus) {
		TieredCacheRedisConnection redis = connection.getIfAvailable();
		InvalidationBusState invalidations = bus.getIfAvailable();
		return new TieredCacheHealthIndicator(new TieredCacheHealth(manager, () -> redis != null && redis.ping(),
				(invalidations != null) ? invalidations::isSubscribed : null, properties.getHealth().isFailWhenDegraded()));
	}

}
