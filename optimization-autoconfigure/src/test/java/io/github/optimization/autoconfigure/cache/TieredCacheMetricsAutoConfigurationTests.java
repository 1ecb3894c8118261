package io.github.optimization.autoconfigure.cache;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.metrics.MeterNames;
import io.github.optimization.test.BootAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

class TieredCacheMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.METRICS,
				BootAutoConfigurations.COMPOSITE_METER_REGISTRY, BootAutoConfigurations.PROMETHEUS_METRICS_EXPORT,
				TieredCacheAutoConfiguration.class, BootAutoConfigurations.CACHE, BootAutoConfigurations.CACHE_METRICS,
				TieredCacheMetricsAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("optimization.cache.caches.users.ttl=10m");

	@Test
	void bindsStandardAndTierMetersForConfiguredCaches() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			TieredCache users = (TieredCache) context.getBean(TieredCacheManager.class).getCache("users");
			users.put("k", "v");
			users.get("k");
			users.get("absent");
			assertThat(registry.get("cache.gets").tag("cache", "users").tag("result", "hit").functionCounter().count())
				.isEqualTo(1);
			assertThat(registry.get("cache.gets").tag("cache", "users").tag("result", "miss").functionCounter().count())
				.isEqualTo(1);
			assertThat(registry.get("cache.puts").tag("cache", "users").functionCounter().count()).isEqualTo(1);
			assertThat(registry.get(MeterNames.CACHE_HITS)
				.tag("cache", "users")
				.tag("tier", "l1")
				.functionCounter()
				.count()).isEqualTo(1);
			assertThat(registry.get(MeterNames.CACHE_MISSES).tag("cache", "users").functionCounter().count())
				.isEqualTo(1);
			assertThat(registry.get("cache.size")
				.tag("cache", "users")
				.tag("cache.manager", "cacheManager")
				.gauge()
				.value()).isEqualTo(1);
			assertThat(registry.find(MeterNames.CACHE_CODEC_REJECTS).tag("reason", "foreign").functionCounter())
				.isNotNull();
		});
	}

	@Test
	void bindsCachesCreatedAfterStartup() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			TieredCache late = (TieredCache) context.getBean(TieredCacheManager.class).getCache("created-later");
			late.get("k", () -> "v");
			assertThat(registry.get(MeterNames.CACHE_LOADS)
				.tag("cache", "created-later")
				.tag("result", "success")
				.functionTimer()
				.count()).isEqualTo(1);
			assertThat(registry.get("cache.gets")
				.tag("cache", "created-later")
				.tag("result", "miss")
				.functionCounter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void everyMeterOfANameHasTheSameTagKeysAsSpringBootsCacheMetrics() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(TieredCacheManager.class).getCache("created-later").get("k");
			java.util.Map<String, java.util.Set<java.util.Set<String>>> keysByName = new java.util.HashMap<>();
			registry.getMeters()
				.forEach(
						(meter) -> keysByName.computeIfAbsent(meter.getId().getName(), (n) -> new java.util.HashSet<>())
							.add(meter.getId()
								.getTags()
								.stream()
								.map(io.micrometer.core.instrument.Tag::getKey)
								.collect(java.util.stream.Collectors.toSet())));
			assertThat(keysByName.get("cache.size"))
				.containsExactly(java.util.Set.of("cache", "cache.manager", "name"));
			keysByName.forEach((name, keySets) -> assertThat(keySets).as(name).hasSize(1));
			assertThat(registry.find("cache.size").tag("cache", "created-later").tag("name", "created-later").gauge())
				.as("a cache only our binder sees is registered with Boot's tag keys")
				.isNotNull();
		});
	}

	@Test
	void meterCountDoesNotGrowWithKeys() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			TieredCache users = (TieredCache) context.getBean(TieredCacheManager.class).getCache("users");
			users.get("warm-up", () -> "v");
			int before = registry.getMeters().size();
			for (int i = 0; i < 5_000; i++) {
				users.get("key-" + i, () -> "v");
			}
			assertThat(registry.getMeters()).hasSize(before);
		});
	}

	@Test
	void prometheusScrapesWithOrdinaryCachesAlongside() {
		this.runner.withUserConfiguration(SecondCacheManagerConfiguration.class).run((context) -> {
			CacheManager caffeine = context.getBean("caffeineCacheManager", CacheManager.class);
			caffeine.getCache("plain").put("k", "v");
			caffeine.getCache("plain").get("k");
			TieredCache users = (TieredCache) context.getBean(TieredCacheManager.class).getCache("users");
			users.put("k", "v");
			users.get("k");
			String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
			assertThat(scrape).contains(
					"cache_gets_total{cache=\"users\",cache_manager=\"cacheManager\",name=\"users\",result=\"hit\"} 1.0")
				.contains(
						"optimization_cache_hits_total{cache=\"users\",cache_manager=\"cacheManager\",name=\"users\",tier=\"l1\"} 1.0")
				.contains(
						"cache_gets_total{cache=\"plain\",cache_manager=\"caffeine\",name=\"plain\",result=\"hit\"} 1.0");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondCacheManagerConfiguration {

		@Bean
		@Primary
		TieredCacheManager cacheManager() {
			return TieredCacheManager.builder()
				.cache("users", io.github.optimization.cache.CacheSpec.defaults())
				.build();
		}

		@Bean
		CaffeineCacheManager caffeineCacheManager() {
			CaffeineCacheManager manager = new CaffeineCacheManager("plain");
			manager.setCaffeine(com.github.benmanes.caffeine.cache.Caffeine.newBuilder().recordStats());
			return manager;
		}

	}

}
