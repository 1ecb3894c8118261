package io.github.optimization.metrics;

/**
 * Every meter name this project registers. The names are part of the public contract and
 * documented in {@code docs/metrics.md}. Tags are bounded: cache name, cache manager,
 * tier, result, reason; never a key or argument.
 */
public final class MeterNames {

	/** Lookups answered by a level, tagged {@code tier=l1|l2}. */
	public static final String CACHE_HITS = "optimization.cache.hits";

	/** Lookups answered by neither level. */
	public static final String CACHE_MISSES = "optimization.cache.misses";

	/** Loader calls after a miss, a timer tagged {@code result=success|failure}. */
	public static final String CACHE_LOADS = "optimization.cache.loads";

	/** Calls to the Redis level, a timer (latency). */
	public static final String CACHE_L2_REQUESTS = "optimization.cache.l2.requests";

	/** Calls to the Redis level that failed (connection, timeout, server error). */
	public static final String CACHE_L2_ERRORS = "optimization.cache.l2.errors";

	/** Values refused by the codec, tagged {@code reason=foreign|corrupt|oversized|type}. */
	public static final String CACHE_CODEC_REJECTS = "optimization.cache.codec.rejects";

	private MeterNames() {
	}

}
