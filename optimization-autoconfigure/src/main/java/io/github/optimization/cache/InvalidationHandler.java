package io.github.optimization.cache;

/**
 * Applies invalidations that other instances published, and flushes when messages may
 * have been lost. Implemented by {@link TieredCacheManager}; called by the invalidation
 * bus on its own thread, never on a Redis client's event loop. Implementations never
 * throw for unknown caches or keys: there is simply nothing to drop.
 */
public interface InvalidationHandler {

	/**
	 * Drop one key from a cache's in-process level, and keep a load of it that is still
	 * running from installing its value.
	 * @param cacheName the cache
	 * @param keyDigest the key's digest
	 * @return whether the cache exists here
	 */
	boolean keyInvalidated(String cacheName, String keyDigest);

	/**
	 * Drop one key from a cache's in-process level because another instance deleted it in
	 * Redis again (its write-back raced a change); unlike {@link #keyInvalidated}, this
	 * never deletes anything in Redis.
	 * @param cacheName the cache
	 * @param keyDigest the key's digest
	 * @return whether the cache exists here
	 */
	default boolean keyDropped(String cacheName, String keyDigest) {
		return keyInvalidated(cacheName, keyDigest);
	}

	/**
	 * Drop every in-process entry of a cache.
	 * @param cacheName the cache
	 * @return whether the cache exists here
	 */
	boolean cacheInvalidated(String cacheName);

	/**
	 * Drop every in-process entry of every cache.
	 * @param reason why
	 */
	void flushAll(FlushReason reason);

	/**
	 * Redo in Redis the deletions that failed while it was unreachable, before peers are
	 * asked to flush (they would otherwise read the older values back from Redis).
	 * @return whether every pending repair was done
	 */
	default boolean repairL2() {
		return true;
	}

	/**
	 * Whether a put, eviction or clear failed to reach Redis and waits for
	 * {@link #repairL2()}. Such a change may have been announced to peers all the same
	 * (its publish can succeed when its Redis command timed out), so after the repair
	 * peers are asked to flush.
	 * @return whether a repair is pending
	 */
	default boolean hasPendingRepairs() {
		return false;
	}

}
