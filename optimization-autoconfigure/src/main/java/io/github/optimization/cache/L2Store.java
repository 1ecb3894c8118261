package io.github.optimization.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The shared second level of a tiered cache: byte keys to byte values with a time to
 * live.
 *
 * <p>
 * Implementations are thread-safe. Every method may throw a runtime exception when the
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
	 * Read several values in one round trip ({@code MGET}).
	 *
	 * <p>
	 * The default reads them one by one; stores that can do better override it.
	 * @param keys the keys
	 * @return one entry per key, in the same order, {@code null} where a key is absent
	 */
	default List<byte[]> getAll(List<byte[]> keys) {
		List<byte[]> values = new ArrayList<>(keys.size());
		for (byte[] key : keys) {
			values.add(get(key));
		}
		return values;
	}

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
	 * Write several values, each with its own time to live, in one round trip where the
	 * store can (commands sent without waiting for each other's replies). Not atomic:
	 * after a failure some values may have been written.
	 *
	 * <p>
	 * The default writes them one by one; stores that can do better override it.
	 * @param entries the values to write
	 */
	default void setAll(List<Entry> entries) {
		for (Entry entry : entries) {
			set(entry.key(), entry.value(), entry.ttlMillis());
		}
	}

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
	 * Delete a key only if it holds the given value, atomically (a compare-and-delete,
	 * e.g. a Lua script): how a lock is released without deleting a lock that expired and
	 * was taken by someone else meanwhile.
	 *
	 * <p>
	 * The default throws {@link UnsupportedOperationException}; a lock is then left to
	 * expire after its time to live.
	 * @param key the key
	 * @param expected the value the key must hold
	 * @return whether the key was deleted
	 */
	default boolean deleteIfEquals(byte[] key, byte[] expected) {
		throw new UnsupportedOperationException(getClass().getName() + " does not support compare-and-delete");
	}

	/**
	 * Delete every key matching a Redis glob pattern, using SCAN in bounded batches
	 * (never KEYS, which blocks the server).
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

	/**
	 * One value to write with {@link #setAll(List)}.
	 *
	 * @param key the key
	 * @param value the value
	 * @param ttlMillis the time to live in milliseconds, positive
	 */
	record Entry(byte[] key, byte[] value, long ttlMillis) {
	}

}
