package io.github.optimization.autoconfigure.cache;

import java.time.Duration;

import io.github.optimization.cache.CacheSpec;
import io.github.optimization.cache.InvalidCacheSpecException;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.cache.codec.CacheValueCodec;
import io.github.optimization.cache.L2Store;
import io.github.optimization.test.BootAutoConfigurations;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

class TieredCacheAutoConfigurationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.REDIS, TieredCacheAutoConfiguration.class,
				BootAutoConfigurations.CACHE))
		.withUserConfiguration(CachingConfiguration.class);

	private ApplicationContextRunner withRedis() {
		return this.runner.withPropertyValues("spring.data.redis.host=" + redis.host(),
				"spring.data.redis.port=" + redis.port());
	}

	@Test
	void createsATwoLevelCacheManagerWhenRedisIsConfigured() {
		withRedis().run((context) -> {
			assertThat(context).hasSingleBean(TieredCacheManager.class).hasSingleBean(L2Store.class);
			TieredCacheManager manager = context.getBean(TieredCacheManager.class);
			assertThat(manager.isTwoLevel()).isTrue();
			TieredCache cache = (TieredCache) manager.getCache("users");
			cache.put("k", "v");
			assertThat(redis.admin().dbsize()).isEqualTo(1);
		});
	}

	@Test
	void runsL1OnlyWithoutSpringDataRedis() {
		this.runner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class)).run((context) -> {
			assertThat(context).hasSingleBean(TieredCacheManager.class).doesNotHaveBean(L2Store.class);
			assertThat(context.getBean(TieredCacheManager.class).isTwoLevel()).isFalse();
		});
	}

	@Test
	void backsOffWhenTheUserDefinesACacheManager() {
		withRedis().withUserConfiguration(UserCacheManagerConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(TieredCacheManager.class);
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
		});
	}

	@Test
	void backsOffWhenSpringCacheTypeIsSet() {
		withRedis().withPropertyValues("spring.cache.type=none").run((context) -> {
			assertThat(context).doesNotHaveBean(TieredCacheManager.class);
			assertThat(context.getBean(CacheManager.class))
				.isInstanceOf(org.springframework.cache.support.NoOpCacheManager.class);
		});
	}

	@Test
	void backsOffWhenDisabled() {
		withRedis().withPropertyValues("optimization.cache.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(TieredCacheManager.class).doesNotHaveBean(CacheValueCodec.class);
		});
	}

	@Test
	void backsOffWithoutCaffeine() {
		withRedis().withClassLoader(new FilteredClassLoader(com.github.benmanes.caffeine.cache.Caffeine.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TieredCacheManager.class));
	}

	@Test
	void bindsDefaultsAndPerCacheSettings() {
		withRedis()
			.withPropertyValues("optimization.cache.defaults.ttl=2h", "optimization.cache.defaults.l1.maximum-size=7",
					"optimization.cache.caches.users.ttl=10m", "optimization.cache.caches.users.null-ttl=5s",
					"optimization.cache.caches.users.cache-nulls=false", "optimization.cache.caches.users.ttl-jitter=0",
					"optimization.cache.caches.users.l1.ttl=30s", "optimization.cache.caches.local.l2.enabled=false")
			.run((context) -> {
				TieredCacheManager manager = context.getBean(TieredCacheManager.class);
				assertThat(manager.getCacheNames()).as("configured caches exist at startup").contains("users", "local");
				CacheSpec users = ((TieredCache) manager.getCache("users")).getSpec();
				assertThat(users.ttl()).isEqualTo(Duration.ofMinutes(10));
				assertThat(users.nullTtl()).isEqualTo(Duration.ofSeconds(5));
				assertThat(users.cacheNulls()).isFalse();
				assertThat(users.ttlJitter()).isZero();
				assertThat(users.l1Ttl()).isEqualTo(Duration.ofSeconds(30));
				assertThat(users.l1MaximumSize()).as("inherited from defaults").isEqualTo(7);
				assertThat(((TieredCache) manager.getCache("local")).isTwoLevel()).isFalse();
				CacheSpec other = ((TieredCache) manager.getCache("created-later")).getSpec();
				assertThat(other.ttl()).isEqualTo(Duration.ofHours(2));
			});
	}

	@Test
	void failsAtStartupNamingTheInvalidProperty() {
		withRedis().withPropertyValues("optimization.cache.caches.users.ttl=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidCacheSpecException.class)
				.hasMessageContaining("optimization.cache.caches.users.ttl");
		});
		withRedis().withPropertyValues("optimization.cache.defaults.ttl-jitter=1.5")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("optimization.cache.defaults.ttl-jitter"));
		withRedis().withPropertyValues("optimization.cache.defaults.l1.maximum-size=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("optimization.cache.defaults.l1.maximum-size"));
		withRedis().withPropertyValues("optimization.cache.codec.max-decompressed-size=1KB")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("optimization.cache.codec"));
		withRedis().withPropertyValues("optimization.cache.refresh.threads=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("optimization.cache.refresh.threads"));
		withRedis().withPropertyValues("optimization.cache.defaults.stale-if-error=-1s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("optimization.cache.defaults.stale-if-error"));
		withRedis().withPropertyValues("optimization.cache.caches.users.refresh-ahead=1")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("optimization.cache.caches.users.refresh-ahead"));
		withRedis().withPropertyValues("optimization.cache.caches.users.cluster-single-flight.lock-ttl=0s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("optimization.cache.caches.users.cluster-single-flight.lock-ttl"));
	}

	@Test
	void staticModeRefusesUnknownCaches() {
		withRedis().withPropertyValues("optimization.cache.dynamic=false", "optimization.cache.caches.known.ttl=1m")
			.run((context) -> {
				TieredCacheManager manager = context.getBean(TieredCacheManager.class);
				assertThat(manager.getCache("known")).isNotNull();
				assertThat(manager.getCache("unknown")).isNull();
			});
	}

	@Test
	void customizersAdjustTheManager() {
		withRedis()
			.withBean(TieredCacheManagerCustomizer.class,
					() -> (builder) -> builder.cache("from-code",
							CacheSpec.builder().ttl(Duration.ofSeconds(42)).build("code")))
			.run((context) -> assertThat(
					((TieredCache) context.getBean(TieredCacheManager.class).getCache("from-code")).getSpec().ttl())
				.isEqualTo(Duration.ofSeconds(42)));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCacheManagerConfiguration {

		@Bean
		CacheManager userCacheManager() {
			return new ConcurrentMapCacheManager();
		}

	}

}
