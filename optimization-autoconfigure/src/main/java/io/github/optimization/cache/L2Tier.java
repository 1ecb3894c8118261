package io.github.optimization.cache;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.databind.JavaType;
import io.github.optimization.cache.codec.CacheValueCodec;
import io.github.optimization.cache.codec.CodecException;
import io.github.optimization.cache.codec.Decoded;
import io.github.optimization.cache.TieredCacheStatistics.LockAttempt;
import io.github.optimization.cache.TieredCacheStatistics.LockRelease;
import io.github.optimization.cache.key.RedisKeyScheme.CacheKeySpace;

/**
 * The shared level as one cache sees it: keys laid out by the key space, values through
 * the codec, every call behind the {@link L2Guard} (the circuit breaker), and every
 * failure caught, counted and logged at a bounded rate. Nothing here throws a Redis or
 * codec error to the cache's caller: a failed or refused read is a miss, a failed or
 * refused write is skipped. Codec problems are counted but never reported to the guard,
 * so bad input cannot open the breaker for everybody.
 */
final class L2Tier {

	private final String cacheName;

	private final L2Store store;

	private final CacheKeySpace keys;

	private final CacheValueCodec codec;

	private final Clock clock;

	private final TieredCacheStatistics stats;

	private final OutageLog outageLog;

	private final L2Guard guard;

	private final Executor asyncExecutor;

	/** Keys whose change did not reach Redis: not read from it until repaired there. */
	private final PendingRepairs repairs = new PendingRepairs(MAX_PENDING_REPAIRS);

	/**
	 * How many keys a cache remembers to repair before it clears itself in Redis instead.
	 */
	static final int MAX_PENDING_REPAIRS = 10_000;

	L2Tier(String cacheName, L2Store store, CacheKeySpace keys, CacheValueCodec codec, Clock clock,
			TieredCacheStatistics stats, OutageLog outageLog, L2Guard guard, Executor asyncExecutor) {
		this.asyncExecutor = asyncExecutor;
		this.cacheName = cacheName;
		this.store = store;
		this.keys = keys;
		this.codec = codec;
		this.clock = clock;
		this.stats = stats;
		this.outageLog = outageLog;
		this.guard = guard;
	}

	CacheKeySpace keys() {
		return this.keys;
	}

	long nowMillis() {
		return this.clock.millis();
	}

	/**
	 * Stands for "Redis could not be asked" (outage, open breaker): a miss after which
	 * the loaded value is not written back, so a miss costs at most one command timeout.
	 */
	static final Decoded UNAVAILABLE = Decoded.nullValue(Long.MIN_VALUE);

	/**
	 * The decoded value; {@code null} on a miss or refused bytes, and without asking
	 * Redis for a key whose change has not reached it yet ({@link #keyChangeFailed});
	 * {@link #UNAVAILABLE} on an outage or an open breaker.
	 */
	Decoded read(Object key, JavaType type) {
		if (this.repairs.covers(key)) {
			return null;
		}
		byte[] redisKey = this.keys.redisKey(key);
		if (!permitted()) {
			return UNAVAILABLE;
		}
		byte[] bytes;
		long start = System.nanoTime();
		try {
			bytes = this.store.get(redisKey);
		}
		catch (RuntimeException ex) {
			failed(start, "get", ex);
			// A server error (e.g. a key of the wrong type) is a bad entry to replace;
			// only an
			// unreachable Redis skips the write-back.
			return this.guard.isUnavailable(ex) ? UNAVAILABLE : null;
		}
		succeeded(start);
		return decode(bytes, type);
	}

	/**
	 * Read several keys in one round trip. One entry per key, as {@link #read}: the
	 * decoded value, {@code null} on a miss or refused bytes, {@link #UNAVAILABLE} for
	 * every key on an outage or an open breaker.
	 */
	List<Decoded> readAll(List<?> keys, JavaType type) {
		if (this.repairs.isEmpty()) {
			return readAllFromRedis(keys, type);
		}
		// Keys whose change has not reached Redis are misses; the others are read.
		boolean[] pending = new boolean[keys.size()];
		List<Object> asked = new ArrayList<>(keys.size());
		for (int i = 0; i < keys.size(); i++) {
			pending[i] = this.repairs.covers(keys.get(i));
			if (!pending[i]) {
				asked.add(keys.get(i));
			}
		}
		List<Decoded> read = asked.isEmpty() ? List.of() : readAllFromRedis(asked, type);
		List<Decoded> decoded = new ArrayList<>(keys.size());
		int next = 0;
		for (int i = 0; i < keys.size(); i++) {
			decoded.add(pending[i] ? null : read.get(next++));
		}
		return decoded;
	}

	private List<Decoded> readAllFromRedis(List<?> keys, JavaType type) {
		List<byte[]> redisKeys = new ArrayList<>(keys.size());
		for (Object key : keys) {
			redisKeys.add(this.keys.redisKey(key));
		}
		if (!permitted()) {
			return Collections.nCopies(keys.size(), UNAVAILABLE);
		}
		List<byte[]> values;
		long start = System.nanoTime();
		try {
			values = this.store.getAll(redisKeys);
		}
		catch (RuntimeException ex) {
			failed(start, "mget", ex);
			return Collections.nCopies(keys.size(), this.guard.isUnavailable(ex) ? UNAVAILABLE : null);
		}
		succeeded(start);
		List<Decoded> decoded = new ArrayList<>(values.size());
		for (byte[] bytes : values) {
			decoded.add(decode(bytes, type));
		}
		return decoded;
	}

	CompletableFuture<Decoded> readAsync(Object key, JavaType type) {
		if (this.repairs.covers(key)) {
			return CompletableFuture.completedFuture(null);
		}
		byte[] redisKey = this.keys.redisKey(key);
		if (!permitted()) {
			return CompletableFuture.completedFuture(UNAVAILABLE);
		}
		long start = System.nanoTime();
		CompletableFuture<byte[]> bytes;
		try {
			bytes = this.store.getAsync(redisKey);
		}
		catch (RuntimeException ex) {
			failed(start, "get", ex);
			return CompletableFuture.completedFuture(this.guard.isUnavailable(ex) ? UNAVAILABLE : null);
		}
		// Decoding (JSON, decompression) happens off the Redis client's event loop.
		return bytes.handleAsync((value, ex) -> {
			if (ex != null) {
				failed(start, "get", ex);
				Throwable cause = (ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null)
						? ex.getCause() : ex;
				return this.guard.isUnavailable(cause) ? UNAVAILABLE : null;
			}
			succeeded(start);
			return decode(value, type);
		}, this.asyncExecutor);
	}

	private Decoded decode(byte[] bytes, JavaType type) {
		if (bytes == null) {
			return null;
		}
		Decoded decoded = this.codec.decode(bytes, type);
		if (decoded.isRejected()) {
			this.stats.reject(decoded.rejectReason());
			this.outageLog.warn(
					"Cache '" + this.cacheName + "' read bytes from Redis it refused ("
							+ decoded.rejectReason().tagValue() + ": " + decoded.detail() + "); treated as a miss",
					null);
			return null;
		}
		return decoded;
	}

	/**
	 * Write a value that is fresh for {@code ttlMillis} (the expiry in its envelope) and
	 * kept by Redis for {@code lifeMillis} (its {@code PX}), longer when stale values are
	 * served.
	 * @return the bytes written; {@code null} when skipped or failed
	 */
	byte[] write(Object key, Object value, JavaType type, long ttlMillis, long lifeMillis) {
		byte[] redisKey = this.keys.redisKey(key);
		// Ask first: while the breaker is open the value is not even encoded.
		if (!permitted()) {
			return null;
		}
		byte[] bytes = encode(value, type, ttlMillis);
		if (bytes == null) {
			this.guard.release();
			return null;
		}
		long start = System.nanoTime();
		try {
			this.store.set(redisKey, bytes, lifeMillis);
		}
		catch (RuntimeException ex) {
			failed(start, "set", ex);
			return null;
		}
		succeeded(start);
		return bytes;
	}

	/**
	 * Write several values, each with its own TTL (fresh-until in the envelope) and
	 * physical life in Redis, in one round trip. Values the codec refuses are skipped
	 * (and counted).
	 * @return the bytes written for each key ({@code null} for a value the codec
	 * refused), or {@code null} when nothing was written (skipped or failed)
	 */
	byte[][] writeAll(List<?> keys, List<?> values, JavaType type, long[] ttlMillis, long[] lifeMillis) {
		if (!permitted()) {
			return null;
		}
		byte[][] written = new byte[keys.size()][];
		List<L2Store.Entry> entries = new ArrayList<>(keys.size());
		for (int i = 0; i < keys.size(); i++) {
			written[i] = encode(values.get(i), type, ttlMillis[i]);
			if (written[i] != null) {
				entries.add(new L2Store.Entry(this.keys.redisKey(keys.get(i)), written[i], lifeMillis[i]));
			}
		}
		if (entries.isEmpty()) {
			this.guard.release();
			return null;
		}
		long start = System.nanoTime();
		try {
			this.store.setAll(entries);
		}
		catch (RuntimeException ex) {
			failed(start, "set", ex);
			return null;
		}
		succeeded(start);
		return written;
	}

	/**
	 * Try to take the cluster-wide load lock of a key ({@code SET NX PX}).
	 * @return {@code ACQUIRED}, {@code BUSY} if another holds it, or {@code UNAVAILABLE}
	 * if Redis could not be asked or failed (the caller then loads without the lock)
	 */
	LockAttempt tryLock(Object key, byte[] token, long ttlMillis) {
		byte[] lockKey = this.keys.lockKey(key);
		if (!permitted()) {
			return LockAttempt.UNAVAILABLE;
		}
		long start = System.nanoTime();
		try {
			boolean acquired = this.store.setIfAbsent(lockKey, token, ttlMillis);
			succeeded(start);
			return acquired ? LockAttempt.ACQUIRED : LockAttempt.BUSY;
		}
		catch (RuntimeException ex) {
			failed(start, "take a load lock", ex);
			return LockAttempt.UNAVAILABLE;
		}
	}

	/**
	 * Release a lock taken with {@link #tryLock}, only if it still holds the token.
	 * @return {@code RELEASED}, {@code EXPIRED} if it no longer held the token, or
	 * {@code FAILED} (it then expires after its TTL)
	 */
	LockRelease unlock(Object key, byte[] token) {
		byte[] lockKey = this.keys.lockKey(key);
		if (!permitted()) {
			return LockRelease.FAILED;
		}
		long start = System.nanoTime();
		try {
			boolean deleted = this.store.deleteIfEquals(lockKey, token);
			succeeded(start);
			return deleted ? LockRelease.RELEASED : LockRelease.EXPIRED;
		}
		catch (RuntimeException ex) {
			failed(start, "release a load lock", ex);
			return LockRelease.FAILED;
		}
	}

	/**
	 * Like {@link #write(Object, Object, JavaType, long, long)}, unless the key exists.
	 * @return {@code TRUE} if written, {@code FALSE} if the key existed, {@code null} if
	 * unknown
	 */
	Boolean writeIfAbsent(Object key, Object value, JavaType type, long ttlMillis, long lifeMillis) {
		if (this.repairs.covers(key)) {
			// What Redis holds for the key is older than a change it missed: as good as
			// absent.
			return (write(key, value, type, ttlMillis, lifeMillis) != null) ? Boolean.TRUE : null;
		}
		byte[] redisKey = this.keys.redisKey(key);
		if (!permitted()) {
			return null;
		}
		byte[] bytes = encode(value, type, ttlMillis);
		if (bytes == null) {
			this.guard.release();
			return null;
		}
		long start = System.nanoTime();
		try {
			boolean written = this.store.setIfAbsent(redisKey, bytes, lifeMillis);
			succeeded(start);
			return written;
		}
		catch (RuntimeException ex) {
			failed(start, "set", ex);
			return null;
		}
	}

	private byte[] encode(Object value, JavaType type, long ttlMillis) {
		try {
			return this.codec.encode(value, type, this.clock.millis() + ttlMillis);
		}
		catch (CodecException ex) {
			this.stats.reject(ex.reason());
			this.outageLog.warn("Cache '" + this.cacheName + "' did not write a value of type "
					+ ((value != null) ? value.getClass().getName() : "null") + " to Redis", ex);
			return null;
		}
	}

	/**
	 * {@code TRUE} if a key was deleted, {@code FALSE} if none, {@code null} if unknown.
	 */
	Boolean delete(Object key) {
		byte[] redisKey = this.keys.redisKey(key);
		if (!permitted()) {
			return null;
		}
		long start = System.nanoTime();
		try {
			boolean deleted = this.store.delete(redisKey);
			succeeded(start);
			return deleted;
		}
		catch (RuntimeException ex) {
			failed(start, "delete", ex);
			return null;
		}
	}

	/**
	 * Delete a key only if Redis still holds exactly the bytes this instance wrote for
	 * it.
	 * @return {@code TRUE} if deleted, {@code FALSE} if Redis holds something else or
	 * nothing, {@code null} if unknown
	 */
	Boolean deleteIfWritten(Object key, byte[] written) {
		byte[] redisKey = this.keys.redisKey(key);
		if (!permitted()) {
			return null;
		}
		long start = System.nanoTime();
		try {
			boolean deleted = this.store.deleteIfEquals(redisKey, written);
			succeeded(start);
			return deleted;
		}
		catch (RuntimeException ex) {
			failed(start, "delete", ex);
			return null;
		}
	}

	/** How many keys were deleted; -1 if the store failed or was not called. */
	long deleteMatching(String pattern) {
		if (!permitted()) {
			return -1;
		}
		long start = System.nanoTime();
		try {
			long deleted = this.store.deleteMatching(pattern);
			succeeded(start);
			return deleted;
		}
		catch (RuntimeException ex) {
			failed(start, "scan", ex);
			return -1;
		}
	}

	/**
	 * Remember a key whose put or eviction did not reach Redis: it is a miss here until
	 * {@link #repair} has deleted it in Redis.
	 */
	void keyChangeFailed(Object key) {
		this.repairs.keyChangeFailed(key);
	}

	/**
	 * Forget a key's pending repair: a later put or eviction of it reached Redis, so
	 * Redis no longer holds the older value (a pending clear of the whole cache stays).
	 */
	void keyChangeReached(Object key) {
		this.repairs.keyChangeReached(key);
	}

	/** Whether a change waits to be repaired in Redis. */
	boolean hasPendingRepairs() {
		return !this.repairs.isEmpty();
	}

	/**
	 * Remember that a clear did not reach Redis: every key is a miss until it is
	 * repaired.
	 */
	void clearFailed() {
		this.repairs.clearFailed();
	}

	/**
	 * Redo in Redis the changes that did not reach it (see
	 * {@link PendingRepairs#repair}).
	 * @param repaired what to do on this instance once a key or the cache is repaired
	 * @return whether nothing is left to repair
	 */
	boolean repair(PendingRepairs.Repaired repaired) {
		return this.repairs.repair(new PendingRepairs.Redis() {
			@Override
			public boolean delete(Object key) {
				return L2Tier.this.delete(key) != null;
			}

			@Override
			public boolean clear() {
				return deleteMatching(L2Tier.this.keys.allKeysPattern()) >= 0;
			}
		}, repaired);
	}

	private boolean permitted() {
		if (this.guard.tryAcquire()) {
			return true;
		}
		this.stats.l2Rejected.increment();
		return false;
	}

	private void succeeded(long start) {
		long nanos = System.nanoTime() - start;
		this.stats.l2Requests.increment();
		this.stats.l2Nanos.add(nanos);
		this.guard.onSuccess(nanos);
	}

	private void failed(long start, String operation, Throwable ex) {
		long nanos = System.nanoTime() - start;
		this.stats.l2Requests.increment();
		this.stats.l2Nanos.add(nanos);
		this.stats.l2Errors.increment();
		if (this.guard.isTimeout(ex)) {
			this.stats.l2Timeouts.increment();
		}
		this.guard.onError(nanos, ex);
		this.outageLog.warn("Cache '" + this.cacheName + "' could not " + operation
				+ " in Redis; serving from the in-process level and the loader", ex);
	}

}
