package io.github.optimization.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Eight ways to read the same cached {@link Product}, side by side; every read is a hit.
 * {@link ReadLatency} and {@link ReadThroughput} run them in the two measurement modes.
 *
 * <p>
 * In-process ({@code l1_*}): a plain Caffeine lookup (the floor); Spring's
 * {@code @Cacheable} over Spring Boot's {@code CaffeineCacheManager}, with Spring's
 * default key (the baseline: what a plain {@code @Cacheable} gets) and with
 * {@code key = "#id"} (SpEL evaluated on every call); {@code @TieredCacheable} served
 * from its in-process level, with the default key and with {@code key = "#id"}. From
 * Redis ({@code l2_*}): a Lettuce GET plus Jackson decode (the floor), Spring's
 * {@code @Cacheable} over {@code RedisCacheManager}, and {@code @TieredCacheable} on a
 * cache with its in-process level disabled, both with the default key.
 *
 * <p>
 * Every Spring row calls a bean through the proxy its context made for it (CGLIB, Spring
 * Boot's default), in a context with the actuator and the Prometheus registry, so meters
 * are bound as in production. Each benchmark returns the value it read, so JMH consumes
 * it.
 */
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class CacheReads {

	/** Plain {@code Cache.getIfPresent} on Caffeine: the in-process floor. */
	@Benchmark
	public Product l1_rawCaffeine(CaffeineState state, Workload workload) {
		return state.cache.getIfPresent(workload.nextId());
	}

	/**
	 * Spring's {@code @Cacheable} with its default key over {@code CaffeineCacheManager}:
	 * the baseline.
	 */
	@Benchmark
	public Product l1_springCacheable(SpringCaffeineState state, Workload workload) {
		return state.products.product(workload.nextId());
	}

	/** Spring's {@code @Cacheable(key = "#id")} over {@code CaffeineCacheManager}. */
	@Benchmark
	public Product l1_springCacheableKeyId(SpringCaffeineState state, Workload workload) {
		return state.products.productKeyId(workload.nextId());
	}

	/**
	 * {@code @TieredCacheable} with its default key, a hit in the in-process level (Redis
	 * behind).
	 */
	@Benchmark
	public Product l1_tieredCacheable(TieredState state, Workload workload) {
		return state.products.product(workload.nextId());
	}

	/**
	 * {@code @TieredCacheable(key = "#id")}, a hit in the in-process level (Redis
	 * behind).
	 */
	@Benchmark
	public Product l1_tieredCacheableKeyId(TieredState state, Workload workload) {
		return state.products.productKeyId(workload.nextId());
	}

	/** Lettuce sync GET of the JSON and Jackson decode: the floor of a Redis hit. */
	@Benchmark
	public Product l2_rawLettuceGetDecode(LettuceState state, Workload workload) {
		return state.get(workload.nextId());
	}

	/**
	 * Spring's {@code @Cacheable} with its default key over {@code RedisCacheManager}.
	 */
	@Benchmark
	public Product l2_springCacheable(SpringRedisState state, Workload workload) {
		return state.products.product(workload.nextId());
	}

	/**
	 * {@code @TieredCacheable} with its default key on a cache without in-process level:
	 * a Redis hit.
	 */
	@Benchmark
	public Product l2_tieredCacheable(TieredState state, Workload workload) {
		return state.products.productFromL2(workload.nextId());
	}

}
