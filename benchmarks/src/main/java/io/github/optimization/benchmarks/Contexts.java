package io.github.optimization.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.optimization.cache.codec.CacheValueCodec;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.Jackson2JsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;

/**
 * The Spring application contexts under test. Each is a real Spring Boot application with
 * the full auto-configuration of the class path (the starter's included), web off; they
 * differ only in their cache manager and the bean they cache through.
 */
final class Contexts {

	/** Spring Boot's Redis auto-configurations, excluded where no Redis is wanted. */
	private static final String NO_REDIS = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration,"
			+ "org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration,"
			+ "org.springframework.boot.autoconfigure.data.redis.RedisRepositoriesAutoConfiguration";

	/**
	 * Spring Boot's Lettuce command-latency metrics, excluded where Redis is used so that
	 * the Spring contexts talk to Redis through the same bare Lettuce as the raw
	 * benchmark.
	 */
	static final String NO_LETTUCE_METRICS = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.actuate.autoconfigure.metrics.redis.LettuceMetricsAutoConfiguration";

	/** Same TTL for every cache, long enough that nothing expires during a trial. */
	static final Duration TTL = Duration.ofHours(1);

	private Contexts() {
	}

	/**
	 * The starter's auto-configured {@code TieredCacheManager} over the given Redis, with
	 * {@link TieredProducts}; its cache {@value TieredProducts#L2_ONLY} has L1 disabled.
	 * @param redis the Redis
	 * @return the running context
	 */
	static ConfigurableApplicationContext tiered(RedisServer redis) {
		return run(Tiered.class, NO_LETTUCE_METRICS, "spring.data.redis.host=" + redis.host(),
				"spring.data.redis.port=" + redis.port(), "optimization.cache.defaults.ttl=1h",
				"optimization.cache.caches." + TieredProducts.L1_AND_L2 + ".l1.maximum-size=10000",
				"optimization.cache.caches." + TieredProducts.L2_ONLY + ".l1.enabled=false");
	}

	/**
	 * Spring's {@code CaffeineCacheManager} with {@code @EnableCaching} and
	 * {@link SpringProducts}; no Redis, the starter's cache off.
	 * @return the running context
	 */
	static ConfigurableApplicationContext springCaffeine() {
		return run(SpringCaffeine.class, NO_REDIS, "optimization.cache.enabled=false");
	}

	/**
	 * Spring's {@code RedisCacheManager} over the given Redis with {@code @EnableCaching}
	 * and {@link SpringProducts}; the starter's cache off.
	 * @param redis the Redis
	 * @return the running context
	 */
	static ConfigurableApplicationContext springRedis(RedisServer redis) {
		return run(SpringRedis.class, NO_LETTUCE_METRICS, "spring.data.redis.host=" + redis.host(),
				"spring.data.redis.port=" + redis.port(), "optimization.cache.enabled=false");
	}

	static ConfigurableApplicationContext run(Class<?> configuration, String... properties) {
		List<String> all = new ArrayList<>(List.of("logging.level.root=warn", "spring.jmx.enabled=false"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(all.toArray(String[]::new))
			.run();
	}

	/**
	 * The starter's auto-configuration; it also registers the {@code @TieredCacheable}
	 * advisor.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Tiered {

		@Bean
		TieredProducts tieredProducts() {
			return new TieredProducts();
		}

	}

	/** Spring's Caffeine cache manager, sized and timed like the tiered cache's L1. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class SpringCaffeine {

		@Bean
		CaffeineCacheManager cacheManager() {
			CaffeineCacheManager manager = new CaffeineCacheManager();
			manager.setCaffeine(Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TTL));
			manager.setCacheNames(List.of(SpringProducts.CACHE));
			return manager;
		}

		@Bean
		SpringProducts springProducts() {
			return new SpringProducts();
		}

	}

	/**
	 * Spring's Redis cache manager with a {@link Jackson2JsonRedisSerializer} typed to
	 * {@link Product}, the same mapper as the tiered cache's codec: plain JSON read into
	 * the declared type, as the tiered cache does.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class SpringRedis {

		@Bean
		RedisCacheManager cacheManager(RedisConnectionFactory connectionFactory) {
			Jackson2JsonRedisSerializer<Product> values = new Jackson2JsonRedisSerializer<>(
					CacheValueCodec.defaultObjectMapper(), Product.class);
			RedisCacheConfiguration configuration = RedisCacheConfiguration.defaultCacheConfig()
				.entryTtl(TTL)
				.serializeValuesWith(SerializationPair.fromSerializer(values));
			return RedisCacheManager.builder(connectionFactory)
				.cacheDefaults(configuration)
				.initialCacheNames(Set.of(SpringProducts.CACHE))
				.build();
		}

		@Bean
		SpringProducts springProducts() {
			return new SpringProducts();
		}

	}

}
