package io.github.optimization.cache;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JavaType;
import io.github.optimization.cache.codec.CacheValueCodec;
import io.github.optimization.cache.codec.CodecException;
import io.github.optimization.cache.codec.Decoded;
import io.github.optimization.cache.redis.L2Store;
import io.github.optimization.cache.redis.RedisKeyScheme.CacheKeySpace;

/**
 * The shared level as one cache sees it: keys laid out by the key space, values through the
 * codec, and every failure caught, counted and logged at a bounded rate. Nothing here throws
 * to the cache's caller: a failed read is a miss, a failed write is skipped.
 */
final class L2Tier {

	private final String cacheName;

	private final L2Store store;

	private final CacheKeySpace keys;

	private final CacheValueCodec codec;

	private final Clock clock;

	private final TieredCacheStatistics stats;

	private final OutageLog outageLog;

	L2Tier(String cacheName, L2Store store, CacheKeySpace keys, CacheValueCodec codec, Clock clock,
			TieredCacheStatistics stats, OutageLog outageLog) {
		this.cacheName = cacheName;
		this.store = store;
		this.keys = keys;
		this.codec = codec;
		this.clock = clock;
		this.stats = stats;
		this.outageLog = outageLog;
	}

	CacheKeySpace keys() {
		return this.keys;
	}

	long nowMillis() {
		return this.clock.millis();
	}

	/** The decoded value, or {@code null} on a miss, an outage or refused bytes. */
	Decoded read(Object key, JavaType type) {
		byte[] bytes;
		long start = System.nanoTime();
		try {
			bytes = this.store.get(this.keys.redisKey(key));
		}
		catch (RuntimeException ex) {
			failed(start, "get", ex);
			return null;
		}
		succeeded(start);
		return decode(bytes, type);
	}

	CompletableFuture<Decoded> readAsync(Object key, JavaType type) {
		long start = System.nanoTime();
		CompletableFuture<byte[]> bytes;
		try {
			bytes = this.store.getAsync(this.keys.redisKey(key));
		}
		catch (RuntimeException ex) {
			failed(start, "get", ex);
			return CompletableFuture.completedFuture(null);
		}
		return bytes.handle((value, ex) -> {
			if (ex != null) {
				failed(start, "get", ex);
				return null;
			}
			succeeded(start);
			return decode(value, type);
		});
	}

	private Decoded decode(byte[] bytes, JavaType type) {
		if (bytes == null) {
			return null;
		}
		Decoded decoded = this.codec.decode(bytes, type);
		if (decoded.isRejected()) {
			this.stats.reject(decoded.rejectReason());
			this.outageLog.warn("Cache '" + this.cacheName + "' read bytes from Redis it refused ("
					+ decoded.rejectReason().tagValue() + ": " + decoded.detail() + "); treated as a miss", null);
			return null;
		}
		return decoded;
	}

	/** Whether the value was written; {@code false} when skipped or failed. */
	boolean write(Object key, Object value, JavaType type, long ttlMillis) {
		byte[] bytes = encode(value, type, ttlMillis);
		if (bytes == null) {
			return false;
		}
		long start = System.nanoTime();
		try {
			this.store.set(this.keys.redisKey(key), bytes, ttlMillis);
		}
		catch (RuntimeException ex) {
			failed(start, "set", ex);
			return false;
		}
		succeeded(start);
		return true;
	}

	/** {@code TRUE} if written, {@code FALSE} if the key existed, {@code null} if unknown. */
	Boolean writeIfAbsent(Object key, Object value, JavaType type, long ttlMillis) {
		byte[] bytes = encode(value, type, ttlMillis);
		if (bytes == null) {
			return null;
		}
		long start = System.nanoTime();
		try {
			boolean written = this.store.setIfAbsent(this.keys.redisKey(key), bytes, ttlMillis);
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

	/** {@code TRUE} if a key was deleted, {@code FALSE} if none, {@code null} if unknown. */
	Boolean delete(Object key) {
		long start = System.nanoTime();
		try {
			boolean deleted = this.store.delete(this.keys.redisKey(key));
			succeeded(start);
			return deleted;
		}
		catch (RuntimeException ex) {
			failed(start, "delete", ex);
			return null;
		}
	}

	/** How many keys were deleted; -1 if the store failed. */
	long deleteMatching(String pattern) {
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

	private void succeeded(long start) {
		this.stats.l2Requests.increment();
		this.stats.l2Nanos.add(System.nanoTime() - start);
	}

	private void failed(long start, String operation, Throwable ex) {
		succeeded(start);
		this.stats.l2Errors.increment();
		this.outageLog.warn("Cache '" + this.cacheName + "' could not " + operation
				+ " in Redis; serving from the in-process level and the loader", ex);
	}

}
