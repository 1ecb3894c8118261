package io.github.optimization.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.optimization.cache.codec.CacheValueCodec;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.EnableCaching;
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
 * the full auto-configuration of the class path (the starter's included, and with it the
 * actuator, Micrometer and the Prometheus registry, so cache meters and Lettuce's command
 * latency meters are bound as in production), web off; they differ only in their cache
 * manager and the bean they cache through.
 */
final class Contexts {

	/** Spring Boot's Redis auto-configurations, excluded where no Redis is wanted. */
	private static final String NO_REDIS = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration,"
			+ "org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration,"
			+ "org.springframework.boot.autoconfigure.data.redis.RedisRepositoriesAutoConfiguration";

	/**
	 * Spring Boot's Lettuce command-latency metrics, excluded by the stampede benchmark
	 * so that its contexts talk to Redis through bare Lettuce. The read benchmarks keep
	 * them, as an application with the actuator has them.
	 */
	static final String NO_LETTUCE_METRICS = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.actuate.autoconfigure.metrics.redis.LettuceMetricsAutoConfiguration";

	/** Same TTL for every cache, long enough that nothing expires during a trial. */
	static final Duration TTL = Duration.ofHours(1);

	/**
	 * The Caffeine settings of Spring's cache and of the raw Caffeine baseline: the size
	 * of the tiered cache's L1 and {@link #TTL}.
	 */
	static final String CAFFEINE_SPEC = "maximumSize=10000,expireAfterWrite=1h";

	private Contexts() {
	}

	/**
	 * The starter's auto-configured {@code TieredCacheManager} over the given Redis, with
	 * {@link TieredProducts}; its cache {@value TieredProducts#L2_ONLY} has L1 disabled.
	 * @param redis the Redis
	 * @param properties more properties, e.g. to change the set-up for a diagnosis
	 * @return the running context
	 */
	static ConfigurableApplicationContext tiered(RedisServer redis, String... properties) {
		return tiered(Tiered.class, redis, properties);
	}

	/**
	 * The starter's auto-configured {@code TieredCacheManager} as for
	 * {@link #tiered(RedisServer, String...)}, with the beans of another configuration.
	 * @param configuration the configuration, annotated with
	 * {@code @EnableAutoConfiguration}
	 * @param redis the Redis
	 * @param properties more properties
	 * @return the running context
	 */
	static ConfigurableApplicationContext tiered(Class<?> configuration, RedisServer redis, String... properties) {
		List<String> all = new ArrayList<>(
				List.of("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
						"optimization.cache.defaults.ttl=1h", "optimization.cache.defaults.l1.maximum-size=10000",
						"optimization.cache.caches." + TieredProducts.L1_AND_L2 + ".ttl=1h",
						"optimization.cache.caches." + TieredProducts.L1_AND_L2_KEY_ID + ".ttl=1h",
						"optimization.cache.caches." + TieredProducts.L2_ONLY + ".l1.enabled=false"));
		all.addAll(List.of(properties));
		return run(configuration, all.toArray(String[]::new));
	}

	/**
	 * Spring Boot's auto-configured {@code CaffeineCacheManager}
	 * ({@code spring.cache.type=caffeine}, caches named up front, sized and timed like
	 * the tiered cache's L1) with {@code @EnableCaching} and {@link SpringProducts}; no
	 * Redis, the starter's cache off.
	 * @param properties more properties, e.g. to change the set-up for a diagnosis
	 * @return the running context
	 */
	static ConfigurableApplicationContext springCaffeine(String... properties) {
		return springCaffeine(SpringCaffeine.class, properties);
	}

	/**
	 * Spring Boot's auto-configured {@code CaffeineCacheManager} as for
	 * {@link #springCaffeine(String...)}, with the beans of another configuration.
	 * @param configuration the configuration, annotated with
	 * {@code @EnableAutoConfiguration} and {@code @EnableCaching}
	 * @param properties more properties
	 * @return the running context
	 */
	static ConfigurableApplicationContext springCaffeine(Class<?> configuration, String... properties) {
		List<String> all = new ArrayList<>(
				List.of(NO_REDIS, "optimization.cache.enabled=false", "spring.cache.type=caffeine",
						"spring.cache.cache-names=" + SpringProducts.CACHE + "," + SpringProducts.CACHE_KEY_ID,
						"spring.cache.caffeine.spec=" + CAFFEINE_SPEC));
		all.addAll(List.of(properties));
		return run(configuration, all.toArray(String[]::new));
	}

	/**
	 * Spring's {@code RedisCacheManager} over the given Redis with {@code @EnableCaching}
	 * and {@link SpringProducts}; the starter's cache off.
	 * @param redis the Redis
	 * @return the running context
	 */
	static ConfigurableApplicationContext springRedis(RedisServer redis) {
		return run(SpringRedis.class, "spring.data.redis.host=" + redis.host(),
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

	/**
	 * {@code @EnableCaching}; the cache manager is Spring Boot's, configured by
	 * {@link #springCaffeine}'s properties.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class SpringCaffeine {

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
				.initialCacheNames(Set.of(SpringProducts.CACHE, SpringProducts.CACHE_KEY_ID))
				.build();
		}

		@Bean
		SpringProducts springProducts() {
			return new SpringProducts();
		}

	}

}
