package io.github.optimization.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Six ways to read the same cached {@link Product}, side by side; every read is a hit.
 * {@link ReadLatency} and {@link ReadThroughput} run them in the two measurement modes.
 *
 * <p>
 * In-process ({@code l1_*}): a plain Caffeine lookup (the floor), Spring's
 * {@code @Cacheable} over {@code CaffeineCacheManager}, and {@code @TieredCacheable}
 * served from its in-process level. From Redis ({@code l2_*}): a Lettuce GET plus Jackson
 * decode (the floor), Spring's {@code @Cacheable} over {@code RedisCacheManager}, and
 * {@code @TieredCacheable} on a cache with its in-process level disabled.
 *
 * <p>
 * Each benchmark returns the value it read, so JMH consumes it.
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

	/** Spring's {@code @Cacheable(key = "#id")} over {@code CaffeineCacheManager}. */
	@Benchmark
	public Product l1_springCacheable(SpringCaffeineState state, Workload workload) {
		return state.products.product(workload.nextId());
	}

	/**
	 * {@code @TieredCacheable(key = "#id")}, a hit in the in-process level (Redis
	 * behind).
	 */
	@Benchmark
	public Product l1_tieredCacheable(TieredState state, Workload workload) {
		return state.products.product(workload.nextId());
	}

	/** Lettuce sync GET of the JSON and Jackson decode: the floor of a Redis hit. */
	@Benchmark
	public Product l2_rawLettuceGetDecode(LettuceState state, Workload workload) {
		return state.get(workload.nextId());
	}

	/** Spring's {@code @Cacheable(key = "#id")} over {@code RedisCacheManager}. */
	@Benchmark
	public Product l2_springCacheable(SpringRedisState state, Workload workload) {
		return state.products.product(workload.nextId());
	}

	/**
	 * {@code @TieredCacheable(key = "#id")} on a cache without in-process level: a Redis
	 * hit.
	 */
	@Benchmark
	public Product l2_tieredCacheable(TieredState state, Workload workload) {
		return state.products.productFromL2(workload.nextId());
	}

}
