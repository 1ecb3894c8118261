package io.github.optimization.cache;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JavaType;
import io.github.optimization.cache.TieredCacheStatistics.LockAttempt;
import io.github.optimization.cache.TieredCacheStatistics.LockRelease;
import io.github.optimization.cache.codec.Decoded;

/**
 * The shared level as one cache sees it. Nothing here throws a Redis or codec error to
 * the cache's caller: a failed or refused read is a miss, a failed or refused write is
 * skipped. {@link #NONE} when the cache has no shared level: reads miss, writes and
 * deletes do nothing. Thread-safe.
 */
interface L2Tier {

	/**
	 * Stands for "Redis could not be asked" (outage, open breaker): a miss after which
	 * the loaded value is not written back, so a miss costs at most one command timeout.
	 */
	Decoded UNAVAILABLE = Decoded.nullValue(Long.MIN_VALUE);

	/** No shared level. */
	L2Tier NONE = new NoL2Tier();

	/** Whether a shared level backs the cache. */
	boolean isPresent();

	/**
	 * The decoded value; {@code null} on a miss or refused bytes, and without asking
	 * Redis for a key whose change has not reached it yet ({@link #keyChangeFailed});
	 * {@link #UNAVAILABLE} on an outage or an open breaker.
	 */
	Decoded read(Object key, JavaType type);

	/**
	 * Read several keys in one round trip. One entry per key, as {@link #read}.
	 */
	List<Decoded> readAll(List<?> keys, JavaType type);

	/**
	 * {@link #read} without blocking; decoding happens off the Redis client's threads.
	 */
	CompletableFuture<Decoded> readAsync(Object key, JavaType type);

	/**
	 * Write a value that is fresh for {@code ttlMillis} (the expiry in its envelope) and
	 * kept by Redis for {@code lifeMillis} (its {@code PX}), longer when stale values are
	 * served.
	 * @return the bytes written; {@code null} when skipped or failed
	 */
	byte[] write(Object key, Object value, JavaType type, long ttlMillis, long lifeMillis);

	/**
	 * Write several values, each with its own TTL and physical life, in one round trip.
	 * Values the codec refuses are skipped (and counted).
	 * @return the bytes written for each key ({@code null} for a value the codec
	 * refused), or {@code null} when nothing was written (skipped or failed)
	 */
	byte[][] writeAll(List<?> keys, List<?> values, JavaType type, long[] ttlMillis, long[] lifeMillis);

	/**
	 * Like {@link #write}, unless the key exists.
	 * @return {@code TRUE} if written, {@code FALSE} if the key existed, {@code null} if
	 * unknown
	 */
	Boolean writeIfAbsent(Object key, Object value, JavaType type, long ttlMillis, long lifeMillis);

	/**
	 * Try to take the cluster-wide load lock of a key ({@code SET NX PX}).
	 * @return {@code ACQUIRED}, {@code BUSY} if another holds it, or {@code UNAVAILABLE}
	 * if Redis could not be asked or failed (the caller then loads without the lock)
	 */
	LockAttempt tryLock(Object key, byte[] token, long ttlMillis);

	/**
	 * Release a lock taken with {@link #tryLock}, only if it still holds the token.
	 * @return {@code RELEASED}, {@code EXPIRED} if it no longer held the token, or
	 * {@code FAILED} (it then expires after its TTL)
	 */
	LockRelease unlock(Object key, byte[] token);

	/**
	 * {@code TRUE} if a key was deleted, {@code FALSE} if none, {@code null} if unknown.
	 */
	Boolean delete(Object key);

	/**
	 * Delete a key only if Redis still holds exactly the bytes this instance wrote for
	 * it.
	 * @return {@code TRUE} if deleted, {@code FALSE} if Redis holds something else or
	 * nothing, {@code null} if unknown
	 */
	Boolean deleteIfWritten(Object key, byte[] written);

	/**
	 * Delete the keys of this cache matching a key pattern (see
	 * {@link TieredCache#evictMatching}).
	 * @return how many keys were deleted; -1 if the store failed or was not called
	 */
	long deleteMatching(String keyPattern);

	/**
	 * Delete every key of this cache.
	 * @return how many keys were deleted; -1 if the store failed or was not called
	 */
	long deleteAll();

	/**
	 * Remember a key whose put or eviction did not reach Redis: it is a miss here until
	 * {@link #repair} has deleted it in Redis.
	 */
	void keyChangeFailed(Object key);

	/**
	 * Forget a key's pending repair: a later put or eviction of it reached Redis, so
	 * Redis no longer holds the older value (a pending clear of the whole cache stays).
	 */
	void keyChangeReached(Object key);

	/**
	 * Remember that a clear did not reach Redis: every key is a miss until it is
	 * repaired.
	 */
	void clearFailed();

	/** Whether a change waits to be repaired in Redis. */
	boolean hasPendingRepairs();

	/**
	 * Redo in Redis the changes that did not reach it (see
	 * {@link PendingRepairs#repair}).
	 * @param repaired what to do on this instance once a key or the cache is repaired
	 * @return whether nothing is left to repair
	 */
	boolean repair(PendingRepairs.Repaired repaired);

}
