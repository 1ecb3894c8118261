package io.github.optimization.cache;

import io.github.optimization.cache.key.KeyDigest;

/**
 * Tells the other instances sharing the Redis level that a key or a whole cache changed,
 * so they drop it from their in-process level. Called after the local change is done.
 * Implementations never throw and never block the caller for long: a failure is their own
 * business (counted, and made up for once Redis is back).
 */
public interface InvalidationPublisher {

	/** Publishes nothing (single instance, or no Redis). */
	InvalidationPublisher NONE = new InvalidationPublisher() {
		@Override
		public void keyChanged(String cacheName, String keyDigest) {
		}

		@Override
		public void cacheCleared(String cacheName) {
		}
	};

	/**
	 * A key was written or evicted.
	 * @param cacheName the cache
	 * @param keyDigest the key's digest, see {@link KeyDigest}
	 */
	void keyChanged(String cacheName, String keyDigest);

	/**
	 * This instance deleted a key in Redis again, because its write-back of a loaded
	 * value raced another instance's change of the key (see {@code RecentWriteBacks}):
	 * others drop what they read from Redis meanwhile, and do nothing more.
	 * @param cacheName the cache
	 * @param keyDigest the key's digest
	 */
	default void keyDropped(String cacheName, String keyDigest) {
		keyChanged(cacheName, keyDigest);
	}

	/**
	 * Many or all keys of a cache changed.
	 * @param cacheName the cache
	 */
	void cacheCleared(String cacheName);

}
