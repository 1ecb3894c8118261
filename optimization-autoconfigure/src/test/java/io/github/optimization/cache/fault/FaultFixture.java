package io.github.optimization.cache.fault;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.autoconfigure.cache.TieredCacheAnnotationAutoConfiguration;
import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.cache.codec.CacheValueCodec;
import io.github.optimization.cache.codec.Decoded;
import io.github.optimization.cache.key.RedisKeyScheme;
import io.github.optimization.resilience.CircuitBreakerL2Guard;
import io.github.optimization.test.BootAutoConfigurations;
import io.github.optimization.test.redis.RedisServerExtension;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * What the fault tests share: an application context with the starter pointed at a
 * harness server and small timeouts, the symbols of RELIABILITY.md for those settings, a
 * "database" for loaders, and access to the breaker and to raw L2 entries.
 */
final class FaultFixture {

	/** T_cmd: the cache's Redis command timeout in these tests. */
	static final Duration T_CMD = Duration.ofMillis(100);

	/** W_open: how long the breaker stays open before probing. */
	static final Duration W_OPEN = Duration.ofSeconds(1);

	/** W_half_max: longest stay in half-open. */
	static final Duration W_HALF_MAX = Duration.ofSeconds(1);

	/** D_rc: the cap of Lettuce's reconnect delay. */
	static final Duration D_RC = Duration.ofMillis(500);

	/** N_min: calls before the breaker may open (the starter's default). */
	static final int N_MIN = 10;

	/** K_half: probes admitted while half-open (the starter's default). */
	static final int K_HALF = 3;

	/**
	 * Slack on every absolute latency bound: a 2-core CI box has GC and scheduling
	 * hiccups.
	 */
	static final Duration SLACK = Duration.ofMillis(250);

	static final String PREFIX = "opt:";

	private FaultFixture() {
	}

	/**
	 * A runner with the starter pointed at a port (a server may or may not listen there).
	 */
	static ApplicationContextRunner runner(int port) {
		return runner("127.0.0.1", port);
	}

	/** A runner with the starter pointed at a host and port. */
	static ApplicationContextRunner runner(String host, int port) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.REDIS, TieredCacheAutoConfiguration.class,
					TieredCacheAnnotationAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + host, "spring.data.redis.port=" + port,
					"optimization.cache.redis.command-timeout=" + T_CMD.toMillis() + "ms",
					"optimization.cache.redis.reconnect-delay-max=" + D_RC.toMillis() + "ms",
					"optimization.cache.redis.circuit-breaker.wait-duration-in-open-state=" + W_OPEN.toMillis() + "ms",
					"optimization.cache.redis.circuit-breaker.max-wait-duration-in-half-open-state="
							+ W_HALF_MAX.toMillis() + "ms",
					"optimization.cache.defaults.ttl=10m");
	}

	static TieredCacheManager manager(ApplicationContext context) {
		return context.getBean(TieredCacheManager.class);
	}

	static TieredCache cache(ApplicationContext context, String name) {
		return (TieredCache) manager(context).getCache(name);
	}

	static CircuitBreaker breaker(ApplicationContext context) {
		return ((CircuitBreakerL2Guard) manager(context).getGuard()).getCircuitBreaker();
	}

	static byte[] redisKey(String cache, Object key) {
		return new RedisKeyScheme(PREFIX, 1).forCache(cache).redisKey(key);
	}

	/**
	 * Write a value into L2 the way another instance would, through the admin connection.
	 */
	static void plant(RedisServerExtension redis, ApplicationContext context, String cache, Object key, Object value) {
		plant(redis.adminBytes(), context, cache, key, value);
	}

	/**
	 * Write a value into L2 the way another instance would, through an admin connection.
	 */
	static void plant(RedisCommands<byte[], byte[]> admin, ApplicationContext context, String cache, Object key,
			Object value) {
		byte[] bytes = context.getBean(CacheValueCodec.class)
			.encode(value, null, System.currentTimeMillis() + Duration.ofMinutes(10).toMillis());
		admin.set(redisKey(cache, key), bytes);
	}

	/** The value L2 holds for a key, decoded, or {@code null} if absent or unreadable. */
	static Object stored(RedisServerExtension redis, ApplicationContext context, String cache, Object key) {
		return stored(redis.adminBytes(), context, cache, key);
	}

	/** The value L2 holds for a key, read through an admin connection. */
	static Object stored(RedisCommands<byte[], byte[]> admin, ApplicationContext context, String cache, Object key) {
		byte[] bytes = admin.get(redisKey(cache, key));
		if (bytes == null) {
			return null;
		}
		Decoded decoded = context.getBean(CacheValueCodec.class).decode(bytes, null);
		return decoded.isRejected() ? null : decoded.value();
	}

	static void report(String line) {
		System.out.println("[fault] " + line);
	}

	/** The system of record behind the loaders: values by key, and a count of loads. */
	public static final class Database {

		private final ConcurrentHashMap<Object, String> rows = new ConcurrentHashMap<>();

		private final AtomicInteger loads = new AtomicInteger();

		private volatile String generation = "v1";

		public String load(Object key) {
			this.loads.incrementAndGet();
			return this.rows.computeIfAbsent(key, (k) -> k + "@" + this.generation);
		}

		/** Every row changes: later loads return values of a new generation. */
		void newGeneration(String generation) {
			this.generation = generation;
			this.rows.clear();
		}

		int loads() {
			return this.loads.get();
		}

		/** The generation values are loaded at now, e.g. {@code v1}. */
		String generation() {
			return this.generation;
		}

	}

}
