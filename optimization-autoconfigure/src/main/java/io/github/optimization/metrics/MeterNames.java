package io.github.optimization.metrics;

/**
 * Every meter name this project registers. The names are part of the public contract and
 * documented in {@code docs/metrics.md} (cache and LLM) and {@code docs/database.md}
 * (database). Tags are bounded: cache name, cache manager, tier, result, reason, pool,
 * model (configured models and {@code other}), type; never a key, argument, prompt or SQL
 * text.
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

	/**
	 * Values refused by the codec, tagged {@code reason=foreign|corrupt|oversized|type}.
	 */
	public static final String CACHE_CODEC_REJECTS = "optimization.cache.codec.rejects";

	/** Calls to the Redis level not made because the circuit breaker was open. */
	public static final String CACHE_L2_REJECTED = "optimization.cache.l2.rejected";

	/** Calls to the Redis level that timed out. */
	public static final String CACHE_L2_TIMEOUTS = "optimization.cache.l2.timeouts";

	/**
	 * Loaded values written back to Redis and deleted again because the write landed
	 * after another instance's change of the key.
	 */
	public static final String CACHE_L2_WRITE_BACKS_UNDONE = "optimization.cache.l2.writebacks.undone";

	/**
	 * Lookups answered with a stale value, tagged {@code reason=revalidate} (within the
	 * stale-while-revalidate window, while a background refresh runs) or
	 * {@code reason=error} (within the stale-if-error window, because the loader threw).
	 */
	public static final String CACHE_STALE_SERVED = "optimization.cache.stale.served";

	/**
	 * Background refreshes that finished, tagged {@code trigger=stale|ahead} and
	 * {@code result=success|failure}.
	 */
	public static final String CACHE_REFRESHES = "optimization.cache.refreshes";

	/**
	 * Attempts to take a cluster-wide load lock ({@code SET NX PX}), a counter tagged
	 * {@code result=acquired|busy|unavailable}. Only for caches with cluster single
	 * flight.
	 */
	public static final String CACHE_LOCK_ACQUISITIONS = "optimization.cache.lock.acquisitions";

	/**
	 * Waits for another instance's load of a cold key, a timer tagged
	 * {@code result=value|takeover|timeout|unavailable|changed}. Only for caches with
	 * cluster single flight.
	 */
	public static final String CACHE_LOCK_WAITS = "optimization.cache.lock.waits";

	/**
	 * Releases of cluster-wide load locks, a counter tagged
	 * {@code result=released|expired|failed}. Only for caches with cluster single flight.
	 */
	public static final String CACHE_LOCK_RELEASES = "optimization.cache.lock.releases";

	/** Invalidation messages published to other instances. */
	public static final String INVALIDATIONS_SENT = "optimization.cache.invalidations.sent";

	/** Invalidation messages from other instances that were applied. */
	public static final String INVALIDATIONS_RECEIVED = "optimization.cache.invalidations.received";

	/**
	 * Invalidation messages dropped, tagged {@code reason=malformed|oversized|overflow}.
	 */
	public static final String INVALIDATIONS_DROPPED = "optimization.cache.invalidations.dropped";

	/** Invalidation messages that could not be published (Redis down or breaker open). */
	public static final String INVALIDATIONS_PUBLISH_FAILURES = "optimization.cache.invalidations.publish.failures";

	/**
	 * Times every in-process entry was dropped, tagged {@code reason} (see FlushReason).
	 */
	public static final String L1_FLUSHES = "optimization.cache.l1.flushes";

	/**
	 * Statement executions slower than {@code optimization.jdbc.slow-query-threshold}, a
	 * counter tagged {@code pool} (the HikariCP pool name).
	 */
	public static final String JDBC_SLOW_QUERIES = "optimization.jdbc.slow.queries";

	/**
	 * Completed calls of cached LLM methods and ChatClient calls, a counter tagged
	 * {@code model} and {@code result=hit|miss}; {@code hit} means the provider was not
	 * called for this call (cache hit, another caller's load, stale value).
	 */
	public static final String LLM_CALLS = "optimization.llm.calls";

	/**
	 * Tokens of responses the provider produced, tagged {@code model} and
	 * {@code type=input|output}.
	 */
	public static final String LLM_TOKENS_SPENT = "optimization.llm.tokens.spent";

	/**
	 * Tokens of responses served without calling the provider, tagged {@code model} and
	 * {@code type}.
	 */
	public static final String LLM_TOKENS_SAVED = "optimization.llm.tokens.saved";

	/** USD paid for the tokens spent (at the configured prices), tagged {@code model}. */
	public static final String LLM_COST_SPENT = "optimization.llm.cost.spent";

	/**
	 * USD not paid thanks to the cache (saved tokens at the configured prices), tagged
	 * {@code model}.
	 */
	public static final String LLM_COST_SAVED = "optimization.llm.cost.saved";

	/**
	 * Calls whose usage could not be recorded (an extractor or model expression failed).
	 */
	public static final String LLM_RECORDING_FAILURES = "optimization.llm.recording.failures";

	private MeterNames() {
	}

}
