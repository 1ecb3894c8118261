package io.github.optimization.autoconfigure.cache;

import io.github.optimization.cache.redis.L2Store;
import io.github.optimization.cache.redis.RedisL2Store;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The Redis level of the tiered caches, when spring-data-redis is present and a connection
 * factory is configured.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBean(RedisConnectionFactory.class)
class RedisL2StoreConfiguration {

	@Bean
	@ConditionalOnMissingBean
	L2Store tieredCacheL2Store(RedisConnectionFactory connectionFactory) {
		return new RedisL2Store(connectionFactory);
	}

}
