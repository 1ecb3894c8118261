package io.github.optimization.cache.annotation;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.autoconfigure.cache.TieredCacheAnnotationAutoConfiguration;
import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.cache.key.MethodKey;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.test.BootAutoConfigurations;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TieredCacheableTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.REDIS, AopAutoConfiguration.class,
				TieredCacheAutoConfiguration.class, TieredCacheAnnotationAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				// Not about invalidations: no startup flush racing the first loads.
				"optimization.cache.invalidation.enabled=false")
		.withUserConfiguration(ServiceConfiguration.class);

	@BeforeEach
	void flush() {
		redis.flushAll();
	}

	@Test
	void cachesTheResultByExplicitKey() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			assertThat(service.user(1)).isEqualTo(new User(1, "user-1"));
			assertThat(service.user(1)).isEqualTo(new User(1, "user-1"));
			assertThat(service.user(2)).isEqualTo(new User(2, "user-2"));
			assertThat(service.calls()).isEqualTo(2);
			TieredCache users = (TieredCache) context.getBean(TieredCacheManager.class).getCache("users");
			assertThat(users.get(1L)).as("the explicit key is the argument itself").isNotNull();
		});
	}

	@Test
	void explicitKeyNamesTheSameEntryAsCachePutAndCacheEvict() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			service.user(1);
			service.rename(new User(1, "renamed"));
			assertThat(service.user(1).name()).isEqualTo("renamed");
			service.forget(1);
			assertThat(service.user(1).name()).isEqualTo("user-1");
			assertThat(service.calls()).isEqualTo(2);
		});
	}

	@Test
	void defaultKeyIncludesTheMethodIdentity() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			assertThat(service.upper("a")).isEqualTo("A");
			assertThat(service.lower("a")).isEqualTo("a");
			assertThat(service.upper("a")).isEqualTo("A");
			assertThat(service.calls()).isEqualTo(2);
			TieredCache shared = (TieredCache) context.getBean(TieredCacheManager.class).getCache("shared");
			assertThat(shared.get("a")).as("not keyed by the bare argument").isNull();
			assertThat(shared
				.get(new MethodKey(AnnotatedMethod.identity(UserService.class.getMethod("upper", String.class)),
						new Object[] { "a" })))
				.isNotNull();
		});
	}

	@Test
	void annotationTtlOverridesTheCacheTtl() {
		this.runner.withPropertyValues("optimization.cache.caches.users.ttl=1h").run((context) -> {
			context.getBean(UserService.class).user(7);
			long pttl = redis.adminBytes()
				.pttl(new io.github.optimization.cache.key.RedisKeyScheme("opt:", 1).forCache("users").redisKey(7L));
			assertThat(pttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
		});
	}

	@Test
	void conditionFalseBypassesTheCache() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			service.conditional(-1);
			service.conditional(-1);
			service.conditional(5);
			service.conditional(5);
			assertThat(service.calls()).isEqualTo(3);
		});
	}

	@Test
	void unlessTrueReturnsButDoesNotStore() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			assertThat(service.unlessEmpty("")).isEmpty();
			assertThat(service.unlessEmpty("")).isEmpty();
			assertThat(service.unlessEmpty("x")).isEqualTo("x");
			assertThat(service.unlessEmpty("x")).isEqualTo("x");
			assertThat(service.calls()).isEqualTo(3);
		});
	}

	@Test
	void optionalResultsAreCachedByContent() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			assertThat(service.find(3)).contains(new User(3, "user-3"));
			assertThat(service.find(3)).contains(new User(3, "user-3"));
			assertThat(service.find(-3)).isEmpty();
			assertThat(service.find(-3)).isEmpty();
			assertThat(service.calls()).isEqualTo(2);
		});
	}

	@Test
	void genericResultsComeBackFromRedisAsTheDeclaredType() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			service.team("a");
			((TieredCache) context.getBean(TieredCacheManager.class).getCache("teams")).clearL1();
			List<User> fromRedis = service.team("a");
			assertThat(fromRedis).containsExactly(new User(1, "a"), new User(2, "a"));
			assertThat(fromRedis.get(0)).isInstanceOf(User.class);
			assertThat(service.calls()).isEqualTo(1);
		});
	}

	@Test
	void checkedExceptionsReachTheCallerUnchangedAndAreNotCached() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> service.failing("k"))
				.withMessage("backend k");
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> service.failing("k"));
			assertThat(service.calls()).isEqualTo(2);
		});
	}

	@Test
	void invalidTtlFailsAtStartupNamingTheMethod() {
		this.runner.withUserConfiguration(BadTtlConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("BadTtlService.slow")
				.hasMessageContaining("ttl 'ten minutes'");
		});
	}

	@Test
	void worksOverSpringBootsCacheWhenACacheTypeIsChosen() {
		this.runner.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.CACHE))
			.withPropertyValues("spring.cache.type=simple")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(TieredCacheManager.class);
				UserService service = context.getBean(UserService.class);
				service.user(1);
				service.user(1);
				assertThat(service.calls()).isEqualTo(1);
			});
	}

	@Test
	void runsUncachedWithoutAnyCacheManager() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, TieredCacheAutoConfiguration.class,
					TieredCacheAnnotationAutoConfiguration.class))
			.withPropertyValues("optimization.cache.enabled=false")
			.withBean(UserService.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(org.springframework.cache.CacheManager.class);
				UserService service = context.getBean(UserService.class);
				service.user(1);
				service.user(1);
				assertThat(service.calls()).isEqualTo(2);
			});
	}

	@Test
	void asynchronousResultsAreRefusedAtStartup() {
		this.runner.withUserConfiguration(AsyncConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("asynchronous results");
		});
	}

	@Test
	void nullKeysFailClearly() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
				.isThrownBy(() -> service.unlessEmpty(null))
				.withMessageContaining("Null key");
		});
	}

	@Test
	void unknownParameterInKeyFailsAtStartup() {
		this.runner.withUserConfiguration(BadKeyConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("#userId")
				.hasMessageContaining("#id");
		});
	}

	@Test
	void advisorOrderDefaultsToOutsideResilienceAndTransactionsAndIsConfigurable() {
		this.runner.run((context) -> assertThat(context.getBean(TieredCacheAdvisor.class).getOrder())
			.isEqualTo(Ordered.LOWEST_PRECEDENCE - 100));
		this.runner.withPropertyValues("optimization.cache.advisor-order=5")
			.run((context) -> assertThat(context.getBean(TieredCacheAdvisor.class).getOrder()).isEqualTo(5));
	}

	public record User(long id, String name) {
	}

	public static class UserService {

		private final AtomicInteger calls = new AtomicInteger();

		public int calls() {
			return this.calls.get();
		}

		@TieredCacheable(cache = "users", key = "#id", ttl = "10m")
		public User user(long id) {
			this.calls.incrementAndGet();
			return new User(id, "user-" + id);
		}

		@CachePut(cacheNames = "users", key = "#user.id")
		public User rename(User user) {
			return user;
		}

		@CacheEvict(cacheNames = "users", key = "#id")
		public void forget(long id) {
		}

		@TieredCacheable(cache = "shared")
		public String upper(String s) {
			this.calls.incrementAndGet();
			return s.toUpperCase();
		}

		@TieredCacheable(cache = "shared")
		public String lower(String s) {
			this.calls.incrementAndGet();
			return s.toLowerCase();
		}

		@TieredCacheable(cache = "conditional", key = "#p0", condition = "#p0 > 0")
		public int conditional(int n) {
			this.calls.incrementAndGet();
			return n;
		}

		@TieredCacheable(cache = "unless", key = "#s", unless = "#result.isEmpty()")
		public String unlessEmpty(String s) {
			this.calls.incrementAndGet();
			return s;
		}

		@TieredCacheable(cache = "find", key = "#id")
		public Optional<User> find(long id) {
			this.calls.incrementAndGet();
			return (id > 0) ? Optional.of(new User(id, "user-" + id)) : Optional.empty();
		}

		@TieredCacheable(cache = "teams", key = "'team:' + #name")
		public List<User> team(String name) {
			this.calls.incrementAndGet();
			return List.of(new User(1, name), new User(2, name));
		}

		@TieredCacheable(cache = "failing", key = "#key")
		public String failing(String key) throws IOException {
			this.calls.incrementAndGet();
			throw new IOException("backend " + key);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class ServiceConfiguration {

		@Bean
		UserService userService() {
			return new UserService();
		}

	}

	public static class BadTtlService {

		@TieredCacheable(cache = "x", ttl = "ten minutes")
		public String slow() {
			return "x";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadTtlConfiguration {

		@Bean
		BadTtlService badTtlService() {
			return new BadTtlService();
		}

	}

	public static class AsyncService {

		@TieredCacheable(cache = "x", key = "#id")
		public java.util.concurrent.CompletableFuture<String> user(long id) {
			return java.util.concurrent.CompletableFuture.completedFuture("x");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AsyncConfiguration {

		@Bean
		AsyncService asyncService() {
			return new AsyncService();
		}

	}

	public static class BadKeyService {

		@TieredCacheable(cache = "x", key = "#userId")
		public String user(long id) {
			return "x";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadKeyConfiguration {

		@Bean
		BadKeyService badKeyService() {
			return new BadKeyService();
		}

	}

}
