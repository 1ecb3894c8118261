package io.github.optimization.resilience;

import io.github.optimization.cache.L2Guard;
import io.github.optimization.cache.L2Store;
import io.github.optimization.cache.redis.RedisInvalidationBus;

/**
 * Publishes invalidation messages on the cache's data connection through the same
 * {@link L2Guard} (circuit breaker) as every other call of the cache to Redis: nothing is
 * published while it is open, and failures count against it like any other. Thread-safe;
 * never throws.
 */
public final class GuardedInvalidationPublisher implements RedisInvalidationBus.Publisher {

	private final L2Store store;

	private final L2Guard guard;

	/**
	 * Create a publisher.
	 * @param store the store whose connection publishes
	 * @param guard the guard of the Redis level
	 */
	public GuardedInvalidationPublisher(L2Store store, L2Guard guard) {
		this.store = store;
		this.guard = guard;
	}

	@Override
	public boolean publish(byte[] channel, byte[] message) {
		return this.guard.tryAcquire() && GuardedCall.run(this.guard, () -> this.store.publish(channel, message));
	}

}
