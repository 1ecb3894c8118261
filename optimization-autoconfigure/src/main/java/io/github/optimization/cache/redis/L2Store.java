package io.github.optimization.cache.redis;

import java.util.concurrent.CompletableFuture;

/**
 * The shared second level of a tiered cache: byte keys to byte values with a time to live.
 *
 * <p>Implementations are thread-safe. Every method may throw a runtime exception when the
 * store is unreachable or slow; the tiered cache catches, counts and logs those, so they
 * never reach the cache's caller.
 */
public interface L2Store {

	/**
	 * Read a value.
	 * @param key the key
	 * @return the value, or {@code null} if absent
	 */
	byte[] get(byte[] key);

	/**
	 * Read a value without blocking the caller.
	 * @param key the key
	 * @return a future of the value, completing with {@code null} if absent
	 */
	CompletableFuture<byte[]> getAsync(byte[] key);

	/**
	 * Write a value.
	 * @param key the key
	 * @param value the value
	 * @param ttlMillis the time to live in milliseconds, positive
	 */
	void set(byte[] key, byte[] value, long ttlMillis);

	/**
	 * Write a value unless the key exists.
	 * @param key the key
	 * @param value the value
	 * @param ttlMillis the time to live in milliseconds, positive
	 * @return whether the value was written
	 */
	boolean setIfAbsent(byte[] key, byte[] value, long ttlMillis);

	/**
	 * Delete a key.
	 * @param key the key
	 * @return whether a key was deleted
	 */
	boolean delete(byte[] key);

	/**
	 * Delete every key matching a Redis glob pattern, using SCAN in bounded batches (never
	 * KEYS, which blocks the server).
	 * @param pattern the pattern; callers escape what must be literal
	 * @return how many keys were deleted
	 */
	long deleteMatching(String pattern);

	/**
	 * Publish a message on a channel.
	 * @param channel the channel
	 * @param message the message
	 */
	void publish(byte[] channel, byte[] message);

}
