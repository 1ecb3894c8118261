package io.github.optimization.cache;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The values this instance wrote back to Redis after a load in the last {@link #WINDOW},
 * so a write-back that raced another instance's change can be undone.
 *
 * <p>
 * The race: this instance's loader reads the database before another instance changes it;
 * the other instance then deletes (or replaces) the key in Redis and announces it; this
 * instance's write-back lands after that, but before the announcement reaches it, so its
 * check after the write still passes. Redis would then hold the older value until its
 * TTL, for every instance. So each write-back is remembered (its key and the exact bytes
 * written) for a while, and an invalidation of such a key from another instance that
 * arrives within the window deletes the key in Redis if it still holds those bytes: only
 * then did the write-back land after the other instance's change. The window has to cover
 * the delay of one invalidation message, milliseconds while the subscription is healthy.
 * When messages may have been lost (the bus flushes), or another instance cleared the
 * whole cache, every write-back of the window that Redis still holds is undone.
 *
 * <p>
 * Bounded by count and by the bytes it holds (past either, the oldest are forgotten and
 * their races go undetected); thread-safe. {@link #NONE} when the cache has no Redis
 * level or no invalidations.
 */
class RecentWriteBacks {

	/** How long a write-back can be undone by an invalidation that arrives late. */
	static final Duration WINDOW = Duration.ofSeconds(2);

	/** At most this many bytes of written values are held (16 MiB). */
	static final long MAXIMUM_BYTES = 16L * 1024 * 1024;

	/** Remembers nothing. */
	static final RecentWriteBacks NONE = new RecentWriteBacks() {
		@Override
		void written(String digest, Object key, byte[] bytes) {
		}

		@Override
		WriteBack take(String digest) {
			return null;
		}

		@Override
		Map<String, WriteBack> takeAll() {
			return Map.of();
		}
	};

	/** Key digest to the latest write-back of the key. */
	private final Cache<String, WriteBack> entries;

	private RecentWriteBacks() {
		this.entries = null;
	}

	RecentWriteBacks(Ticker ticker) {
		this.entries = Caffeine.newBuilder()
			.expireAfterWrite(WINDOW)
			.maximumWeight(MAXIMUM_BYTES)
			.weigher((String digest, WriteBack writeBack) -> writeBack.bytes().length + 64)
			.ticker(ticker)
			.executor(Runnable::run)
			.build();
	}

	/** Remember a load's value written back to Redis. */
	void written(String digest, Object key, byte[] bytes) {
		this.entries.put(digest, new WriteBack(key, bytes));
	}

	/**
	 * Forget and return the write-back of a key within the window, or {@code null}.
	 * @param digest the key's digest
	 * @return what was written, or {@code null}
	 */
	WriteBack take(String digest) {
		return this.entries.asMap().remove(digest);
	}

	/**
	 * Forget and return every write-back within the window.
	 * @return digest to write-back
	 */
	Map<String, WriteBack> takeAll() {
		Map<String, WriteBack> taken = new HashMap<>();
		for (String digest : this.entries.asMap().keySet()) {
			WriteBack writeBack = take(digest);
			if (writeBack != null) {
				taken.put(digest, writeBack);
			}
		}
		return taken;
	}

	/** A key and the bytes written for it. */
	record WriteBack(Object key, byte[] bytes) {
	}

}
