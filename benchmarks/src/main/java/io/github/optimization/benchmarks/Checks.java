package io.github.optimization.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheStatistics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Guards that the benchmarks measure what they claim: meters bound as in production, the
 * tiered caches connected to Redis, every key loaded once before measuring, values read
 * back intact, and no measured read missing the cache.
 */
final class Checks {

	private Checks() {
	}

	/**
	 * Fail the trial when a claim does not hold.
	 * @param condition the claim
	 * @param message what is wrong when it does not
	 */
	static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException("Benchmark setup is not what it claims: " + message);
		}
	}

	/**
	 * Load every key through each of a bean's cached reads, read each back, and check one
	 * load per key and read.
	 * @param loads the bean's count of loads, zero before
	 * @param reads the cached reads
	 * @return the number of loads so far
	 */
	@SafeVarargs
	static long warmUp(LongSupplier loads, LongFunction<Product>... reads) {
		for (LongFunction<Product> read : reads) {
			for (int i = 0; i < Workload.KEY_COUNT; i++) {
				read.apply(Workload.FIRST_ID + i);
			}
		}
		for (LongFunction<Product> read : reads) {
			for (int i = 0; i < Workload.KEY_COUNT; i++) {
				long id = Workload.FIRST_ID + i;
				require(Product.of(id).equals(read.apply(id)), "the cache read back a different value");
			}
		}
		long loaded = loads.getAsLong();
		require(loaded == (long) Workload.KEY_COUNT * reads.length,
				"expected one load per key and read, got " + loaded);
		return loaded;
	}

	/**
	 * Check that a context has meters as in production: a Prometheus registry, with the
	 * cache meters bound for the given caches (tagged {@code cache=<name>}; for a
	 * Caffeine cache that keeps no statistics, as Spring Boot's
	 * {@code spring.cache.caffeine.spec} builds it unless told {@code recordStats},
	 * Micrometer binds {@code cache.size} only).
	 * @param context the context
	 * @param cacheNames the caches whose meters must be bound
	 */
	static void productionMeters(ApplicationContext context, String... cacheNames) {
		require(hasPrometheusRegistry(context), "the context has no Prometheus meter registry");
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		for (String cacheName : cacheNames) {
			require(registry.getMeters().stream().anyMatch((meter) -> cacheName.equals(meter.getId().getTag("cache"))),
					"no meter is bound for cache '" + cacheName + "'");
		}
	}

	/**
	 * Whether a context has a Prometheus meter registry.
	 * @param context the context
	 * @return whether one of its {@link MeterRegistry} beans is Prometheus's
	 */
	static boolean hasPrometheusRegistry(ApplicationContext context) {
		return context.getBeansOfType(MeterRegistry.class)
			.values()
			.stream()
			.anyMatch((registry) -> registry.getClass().getSimpleName().startsWith("Prometheus"));
	}

	/**
	 * Wait until a tiered cache reaches Redis: its dedicated connection connects in the
	 * background, and on a busy machine the first loads may otherwise time out in Redis
	 * and be served by the loader, which setup would count as extra loads.
	 * @param cache a cache with a Redis level
	 */
	static void awaitRedis(TieredCache cache) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (true) {
			TieredCacheStatistics stats = cache.getStatistics();
			long failuresBefore = stats.l2Errors() + stats.l2Rejected() + stats.l2Timeouts();
			long requestsBefore = stats.l2Requests();
			cache.get("benchmark-redis-probe");
			long failures = stats.l2Errors() + stats.l2Rejected() + stats.l2Timeouts();
			if (failures == failuresBefore && stats.l2Requests() > requestsBefore) {
				return;
			}
			require(System.nanoTime() - deadline < 0, cache.getName() + " did not reach Redis within 60s");
			try {
				// Benchmark set-up, not a test: the dedicated connection connects in the
				// background, and there is no event to wait on, so poll it.
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for Redis", ex);
			}
		}
	}

	/**
	 * Check that no measured read ran the method.
	 * @param loadsNow the loads counted now
	 * @param loadsAfterWarmUp the loads counted when measuring started
	 */
	static void noMisses(long loadsNow, long loadsAfterWarmUp) {
		long misses = loadsNow - loadsAfterWarmUp;
		require(misses == 0, misses + " measured reads missed the cache and ran the method");
	}

	/**
	 * Print how many bytes a cache stored in Redis for one key, for the report.
	 * @param context the context whose Redis connection factory to use
	 * @param what what the value is
	 * @param redisKeyPattern a glob pattern matching the Redis keys of the cache; the
	 * first match is measured
	 */
	static void printStoredSize(ApplicationContext context, String what, String redisKeyPattern) {
		try (RedisConnection connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
			byte[] key = firstMatch(connection, redisKeyPattern);
			require(key != null, what + " is not in Redis (no key matches " + redisKeyPattern + ")");
			Long length = connection.stringCommands().strLen(key);
			require(length != null && length > 0, what + " is not in Redis");
			System.out.println(what + ": " + length + " bytes in Redis under a key of " + key.length + " bytes ("
					+ new String(key, StandardCharsets.UTF_8) + ")");
		}
	}

	/** The first key matching a glob pattern, found with SCAN in batches (never KEYS). */
	private static byte[] firstMatch(RedisConnection connection, String pattern) {
		ScanOptions options = ScanOptions.scanOptions().match(pattern).count(100).build();
		try (Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
			return cursor.hasNext() ? cursor.next() : null;
		}
	}

}
