package io.github.optimization.resilience;

import java.util.function.Supplier;

import io.github.optimization.cache.L2Guard;
import io.github.optimization.cache.redis.TieredCacheRedisConnection;

/**
 * Reads Redis's {@code run_id} for the invalidation watchdog's periodic look at Redis,
 * respecting the {@link L2Guard} (circuit breaker) of the Redis level. While the breaker
 * is half-open it also sends a PING through the breaker, so an instance that serves only
 * L1 hits still finds out that Redis is back. While it is open, Redis is not touched.
 * Thread-safe.
 */
public final class GuardedRunIdSource implements Supplier<String> {

	private final L2Guard guard;

	private final TieredCacheRedisConnection connection;

	/**
	 * Create a source.
	 * @param guard the guard of the Redis level
	 * @param connection the cache's connection
	 */
	public GuardedRunIdSource(L2Guard guard, TieredCacheRedisConnection connection) {
		this.guard = guard;
		this.connection = connection;
	}

	/**
	 * Read the run id.
	 * @return the run id, or {@code null} while the breaker is open, when the half-open
	 * PING failed, or when INFO did not report one
	 * @throws RuntimeException if reading it failed
	 */
	@Override
	public String get() {
		String state = this.guard.state();
		if ("OPEN".equals(state) || "FORCED_OPEN".equals(state)) {
			return null;
		}
		if ("HALF_OPEN".equals(state) && this.guard.tryAcquire()
				&& !GuardedCall.run(this.guard, this.connection::pingOrThrow)) {
			return null;
		}
		return this.connection.runId();
	}

}
