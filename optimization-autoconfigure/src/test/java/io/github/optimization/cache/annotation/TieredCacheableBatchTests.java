package io.github.optimization.cache.annotation;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.github.optimization.autoconfigure.cache.TieredCacheAnnotationAutoConfiguration;
import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class TieredCacheableBatchTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final Set<Long> TEN = LongStream.rangeClosed(1, 10).boxed().collect(Collectors.toSet());

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
	void tenIdsWithFourCachedTakeOneMgetAndOneCallWithTheSixMissing() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			LongStream.rangeClosed(1, 4).forEach(service::user);
			users(context).clearL1();
			service.user(1);
			service.user(2); // 1 and 2 in both levels, 3 and 4 in Redis only
			redis.resetCommandStats();

			Map<Long, User> users = service.users(TEN);

			assertThat(redis.commandCount("mget")).isEqualTo(1);
			assertThat(redis.commandCount("get")).isZero();
			assertThat(service.batches()).containsExactly(Set.of(5L, 6L, 7L, 8L, 9L, 10L));
			assertThat(users).hasSize(10)
				.containsEntry(3L, new User(3, "user-3"))
				.containsEntry(10L, new User(10, "user-10"));
			assertThat(service.users(TEN)).isEqualTo(users);
			assertThat(service.batches()).as("calls of the batch method").hasSize(1);
		});
	}

	@Test
	void batchAndSingleIdCallsShareEntries() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			service.users(Set.of(20L, 21L));
			users(context).clearL1(); // from Redis, decoded into User
			assertThat(service.user(20)).isEqualTo(new User(20, "user-20"));
			assertThat(service.singles()).as("single-id calls").hasValue(0);

			service.user(30);
			assertThat(service.usersList(List.of(30L, 31L))).containsOnlyKeys(30L, 31L);
			assertThat(service.batches()).containsExactly(Set.of(20L, 21L), Set.of(31L));
		});
	}

	@Test
	void idsTheMethodDoesNotReturnAreLeftOutAndNotAskedForAgain() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			assertThat(service.users(Set.of(1L, 404L))).containsOnlyKeys(1L);
			assertThat(service.users(Set.of(1L, 404L))).containsOnlyKeys(1L);
			assertThat(service.batches()).containsExactly(Set.of(1L, 404L));
		});
	}

	@Test
	void checkedExceptionsReachTheCallerUnchangedAndAreNotCached() {
		this.runner.run((context) -> {
			UserService service = context.getBean(UserService.class);
			assertThatIOException().isThrownBy(() -> service.failing(List.of(1L))).withMessage("backend down");
			assertThatIOException().isThrownBy(() -> service.failing(List.of(1L))).withMessage("backend down");
		});
	}

	@Test
	void withRedisUnreachableEveryIdIsLoadedWithoutException() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		this.runner.withPropertyValues("spring.data.redis.port=" + closedPort).run((context) -> {
			UserService service = context.getBean(UserService.class);
			assertThat(service.users(TEN)).hasSize(10);
			assertThat(service.users(TEN)).as("then from L1").hasSize(10);
			assertThat(service.batches()).containsExactly(TEN);
		});
	}

	@Test
	void badSignaturesFailAtStartupNamingTheMethodAndTheFix() {
		Map<Class<?>, String> expected = Map.of(TwoParameters.class,
				"TwoParameters.users: the method must take exactly one parameter, the ids, declared as Collection, List or Set",
				NotAMap.class, "NotAMap.users: the method must return Map from id to value", KeysOfAnotherType.class,
				"KeysOfAnotherType.users: the ids are java.lang.String but the keys of the returned map are java.lang.Long",
				BothAnnotations.class, "BothAnnotations.users: the method also has @TieredCacheable");
		expected.forEach((service, message) -> this.runner.withBean(service).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(message);
		}));
	}

	private static TieredCache users(org.springframework.context.ApplicationContext context) {
		return (TieredCache) context.getBean(TieredCacheManager.class).getCache("users");
	}

	public record User(long id, String name) {
	}

	public static class UserService {

		private final List<Set<Long>> batches = new CopyOnWriteArrayList<>();

		private final AtomicInteger singles = new AtomicInteger();

		/** The ids of each call of a batch method (read through the proxy). */
		public List<Set<Long>> batches() {
			return this.batches;
		}

		/** Calls of the single-id method. */
		public AtomicInteger singles() {
			return this.singles;
		}

		@TieredCacheable(cache = "users", key = "#id", ttl = "10m")
		public User user(long id) {
			this.singles.incrementAndGet();
			return new User(id, "user-" + id);
		}

		@TieredCacheableBatch(cache = "users", ttl = "10m")
		public Map<Long, User> users(Set<Long> ids) {
			return load(ids);
		}

		@TieredCacheableBatch(cache = "users")
		public Map<Long, User> usersList(List<Long> ids) {
			return load(ids);
		}

		@TieredCacheableBatch(cache = "failing")
		public Map<Long, User> failing(Collection<Long> ids) throws IOException {
			throw new IOException("backend down");
		}

		private Map<Long, User> load(Collection<Long> ids) {
			this.batches.add(Set.copyOf(ids));
			return ids.stream()
				.filter((id) -> id != 404)
				.collect(Collectors.toMap((id) -> id, (id) -> new User(id, "user-" + id)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ServiceConfiguration {

		@Bean
		UserService userService() {
			return new UserService();
		}

	}

	public static class TwoParameters {

		@TieredCacheableBatch(cache = "users")
		public Map<Long, User> users(Set<Long> ids, String tenant) {
			return Map.of();
		}

	}

	public static class NotAMap {

		@TieredCacheableBatch(cache = "users")
		public List<User> users(Set<Long> ids) {
			return List.of();
		}

	}

	public static class KeysOfAnotherType {

		@TieredCacheableBatch(cache = "users")
		public Map<Long, User> users(Set<String> ids) {
			return Map.of();
		}

	}

	public static class BothAnnotations {

		@TieredCacheable(cache = "users")
		@TieredCacheableBatch(cache = "users")
		public Map<Long, User> users(Set<Long> ids) {
			return Map.of();
		}

	}

}
