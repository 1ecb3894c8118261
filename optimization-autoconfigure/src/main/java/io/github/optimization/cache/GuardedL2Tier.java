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
 * The shared level of a cache over an {@link L2Store}: keys laid out by the key space,
 * values through the codec, every call behind the {@link L2Guard} (the circuit breaker),
 * and every failure caught, counted and logged at a bounded rate. Codec problems are
 * counted but never reported to the guard, so bad input cannot open the breaker for
 * everybody. Keys whose change did not reach Redis are misses until repaired there.
 */
final class GuardedL2Tier implements L2Tier {

	private final String cacheName;

	private final L2Store store;

	private final CacheKeySpace keys;

	private final CacheValueCodec codec;

	private final Clock clock;

	private final TieredCacheStatistics stats;

	private final OutageLog outageLog;

	private final L2Calls calls;

	private final Executor asyncExecutor;

	/** Keys whose change did not reach Redis: not read from it until repaired there. */
	private final PendingRepairs repairs = new PendingRepairs(MAX_PENDING_REPAIRS);

	/**
	 * How many keys a cache remembers to repair before it clears itself in Redis instead.
	 */
	static final int MAX_PENDING_REPAIRS = 10_000;

	GuardedL2Tier(String cacheName, L2Store store, CacheKeySpace keys, CacheValueCodec codec, Clock clock,
			TieredCacheStatistics stats, OutageLog outageLog, L2Guard guard, Executor asyncExecutor) {
		this.asyncExecutor = asyncExecutor;
		this.cacheName = cacheName;
		this.store = store;
		this.keys = keys;
		this.codec = codec;
		this.clock = clock;
		this.stats = stats;
		this.outageLog = outageLog;
		this.calls = new L2Calls(cacheName, stats, outageLog, guard);
	}

	@Override
	public boolean isPresent() {
		return true;
	}

	@Override
	public Decoded read(Object key, JavaType type) {
		if (this.repairs.covers(key)) {
			return null;
		}
		byte[] redisKey = this.keys.redisKey(key);
		if (!this.calls.permitted()) {
			return UNAVAILABLE;
		}
		byte[] bytes;
		long start = System.nanoTime();
		try {
			bytes = this.store.get(redisKey);
		}
		catch (RuntimeException ex) {
			this.calls.failed(start, "get", ex);
			// A server error (e.g. a key of the wrong type) is a bad entry to replace;
			// only an
			// unreachable Redis skips the write-back.
			return this.calls.isUnavailable(ex) ? UNAVAILABLE : null;
		}
		this.calls.succeeded(start);
		return decode(bytes, type);
	}

	@Override
	public List<Decoded> readAll(List<?> keys, JavaType type) {
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
		if (!this.calls.permitted()) {
			return Collections.nCopies(keys.size(), UNAVAILABLE);
		}
		List<byte[]> values;
		long start = System.nanoTime();
		try {
			values = this.store.getAll(redisKeys);
		}
		catch (RuntimeException ex) {
			this.calls.failed(start, "mget", ex);
			return Collections.nCopies(keys.size(), this.calls.isUnavailable(ex) ? UNAVAILABLE : null);
		}
		this.calls.succeeded(start);
		List<Decoded> decoded = new ArrayList<>(values.size());
		for (byte[] bytes : values) {
			decoded.add(decode(bytes, type));
		}
		return decoded;
	}

	@Override
	public CompletableFuture<Decoded> readAsync(Object key, JavaType type) {
		if (this.repairs.covers(key)) {
			return CompletableFuture.completedFuture(null);
		}
		byte[] redisKey = this.keys.redisKey(key);
		if (!this.calls.permitted()) {
			return CompletableFuture.completedFuture(UNAVAILABLE);
		}
		long start = System.nanoTime();
		CompletableFuture<byte[]> bytes;
		try {
			bytes = this.store.getAsync(redisKey);
		}
		catch (RuntimeException ex) {
			this.calls.failed(start, "get", ex);
			return CompletableFuture.completedFuture(this.calls.isUnavailable(ex) ? UNAVAILABLE : null);
		}
		// Decoding (JSON, decompression) happens off the Redis client's event loop.
		return bytes.handleAsync((value, ex) -> {
			if (ex != null) {
				this.calls.failed(start, "get", ex);
				Throwable cause = (ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null)
						? ex.getCause() : ex;
				return this.calls.isUnavailable(cause) ? UNAVAILABLE : null;
			}
			this.calls.succeeded(start);
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

	@Override
	public byte[] write(Object key, Object value, JavaType type, long ttlMillis, long lifeMillis) {
		byte[] redisKey = this.keys.redisKey(key);
		// Ask first: while the breaker is open the value is not even encoded.
		byte[] bytes = permittedEncoding(value, type, ttlMillis);
		if (bytes == null) {
			return null;
		}
		return this.calls.timed("set", () -> {
			this.store.set(redisKey, bytes, lifeMillis);
			return bytes;
		}, null);
	}

	@Override
	public byte[][] writeAll(List<?> keys, List<?> values, JavaType type, long[] ttlMillis, long[] lifeMillis) {
		if (!this.calls.permitted()) {
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
			this.calls.release();
			return null;
		}
		return this.calls.timed("set", () -> {
			this.store.setAll(entries);
			return written;
		}, null);
	}

	@Override
	public Boolean writeIfAbsent(Object key, Object value, JavaType type, long ttlMillis, long lifeMillis) {
		if (this.repairs.covers(key)) {
			// What Redis holds for the key is older than a change it missed: as good as
			// absent.
			return (write(key, value, type, ttlMillis, lifeMillis) != null) ? Boolean.TRUE : null;
		}
		byte[] redisKey = this.keys.redisKey(key);
		byte[] bytes = permittedEncoding(value, type, ttlMillis);
		if (bytes == null) {
			return null;
		}
		return this.calls.timed("set", () -> this.store.setIfAbsent(redisKey, bytes, lifeMillis), null);
	}

	/**
	 * The encoded value if the guard permits a call (asked first, so nothing is encoded
	 * while the breaker is open), else {@code null}; a refused value releases the permit.
	 */
	private byte[] permittedEncoding(Object value, JavaType type, long ttlMillis) {
		if (!this.calls.permitted()) {
			return null;
		}
		byte[] bytes = encode(value, type, ttlMillis);
		if (bytes == null) {
			this.calls.release();
		}
		return bytes;
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

	@Override
	public LockAttempt tryLock(Object key, byte[] token, long ttlMillis) {
		byte[] lockKey = this.keys.lockKey(key);
		if (!this.calls.permitted()) {
			return LockAttempt.UNAVAILABLE;
		}
		return this.calls.timed("take a load lock",
				() -> this.store.setIfAbsent(lockKey, token, ttlMillis) ? LockAttempt.ACQUIRED : LockAttempt.BUSY,
				LockAttempt.UNAVAILABLE);
	}

	@Override
	public LockRelease unlock(Object key, byte[] token) {
		byte[] lockKey = this.keys.lockKey(key);
		if (!this.calls.permitted()) {
			return LockRelease.FAILED;
		}
		return this.calls.timed("release a load lock",
				() -> this.store.deleteIfEquals(lockKey, token) ? LockRelease.RELEASED : LockRelease.EXPIRED,
				LockRelease.FAILED);
	}

	@Override
	public Boolean delete(Object key) {
		byte[] redisKey = this.keys.redisKey(key);
		return this.calls.permitted() ? this.calls.timed("delete", () -> this.store.delete(redisKey), null) : null;
	}

	@Override
	public Boolean deleteIfWritten(Object key, byte[] written) {
		byte[] redisKey = this.keys.redisKey(key);
		return this.calls.permitted()
				? this.calls.timed("delete", () -> this.store.deleteIfEquals(redisKey, written), null) : null;
	}

	@Override
	public long deleteMatching(String keyPattern) {
		return deleteMatchingRedisKeys(this.keys.keyPattern(keyPattern));
	}

	@Override
	public long deleteAll() {
		return deleteMatchingRedisKeys(this.keys.allKeysPattern());
	}

	private long deleteMatchingRedisKeys(String pattern) {
		return this.calls.permitted() ? this.calls.timed("scan", () -> this.store.deleteMatching(pattern), -1L) : -1;
	}

	@Override
	public void keyChangeFailed(Object key) {
		this.repairs.keyChangeFailed(key);
	}

	@Override
	public void keyChangeReached(Object key) {
		this.repairs.keyChangeReached(key);
	}

	@Override
	public boolean hasPendingRepairs() {
		return !this.repairs.isEmpty();
	}

	@Override
	public void clearFailed() {
		this.repairs.clearFailed();
	}

	@Override
	public boolean repair(PendingRepairs.Repaired repaired) {
		return this.repairs.repair(new PendingRepairs.Redis() {
			@Override
			public boolean delete(Object key) {
				return GuardedL2Tier.this.delete(key) != null;
			}

			@Override
			public boolean clear() {
				return deleteAll() >= 0;
			}
		}, repaired);
	}

}
