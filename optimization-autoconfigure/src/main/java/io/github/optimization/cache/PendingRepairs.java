package io.github.optimization.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The changes of one cache that did not reach Redis (a put or eviction while Redis was
 * unreachable or the breaker open): Redis may still hold the older value of these keys,
 * so until they are repaired (deleted there) Redis is not asked for them, and a read of
 * one is a miss. Beyond {@code limit} keys, or when a clear failed, the whole cache is
 * marked: every key is then a miss in Redis until the cache has been cleared there.
 *
 * <p>
 * Thread-safe. A key marked again while its repair runs stays marked (each mark has a
 * stamp, and a repair removes only the stamp it saw); a clear requested while a clear
 * runs is done again. {@link #covers} costs one volatile read while nothing is pending.
 */
final class PendingRepairs {

	private final int limit;

	/** Key to the stamp of its latest mark. */
	private final Map<Object, Long> keys = new ConcurrentHashMap<>();

	private final AtomicLong stamps = new AtomicLong();

	/** How many clears were asked for since the last one that reached Redis. */
	private final AtomicInteger clears = new AtomicInteger();

	/** Whether anything is marked: the read path's only cost while nothing is. */
	private volatile boolean any;

	PendingRepairs(int limit) {
		this.limit = limit;
	}

	/** Marks a key whose put or eviction did not reach Redis. */
	void keyChangeFailed(Object key) {
		if (this.keys.size() < this.limit) {
			this.keys.put(key, this.stamps.incrementAndGet());
		}
		else {
			this.clears.incrementAndGet();
		}
		this.any = true;
	}

	/**
	 * Unmarks a key: a later put or eviction of it reached Redis. A mark of the whole
	 * cache stays until it is repaired.
	 */
	void keyChangeReached(Object key) {
		if (this.any) {
			this.keys.remove(key);
		}
	}

	/**
	 * Marks the whole cache: a clear (or a change past the limit) did not reach Redis.
	 */
	void clearFailed() {
		this.clears.incrementAndGet();
		this.any = true;
	}

	/**
	 * Whether Redis may hold an older value of the key than this instance acknowledged.
	 */
	boolean covers(Object key) {
		return this.any && (this.clears.get() > 0 || this.keys.containsKey(key));
	}

	/** Whether anything is left to repair. */
	boolean isEmpty() {
		return !this.any;
	}

	/**
	 * Redo in Redis what did not reach it: clear the cache there if marked, else delete
	 * each marked key. A key (or the cache) stops being marked only after
	 * {@code repaired} ran for it, so a read never finds it unmarked while Redis or this
	 * instance's L1 may still hold the older value.
	 * @param redis the Redis operations to repair with
	 * @param repaired what to do once a key (or the whole cache) is repaired in Redis
	 * @return whether nothing is left to repair
	 */
	boolean repair(Redis redis, Repaired repaired) {
		if (!this.any) {
			return true;
		}
		int clearsSeen = this.clears.get();
		if (clearsSeen > 0) {
			Map<Object, Long> seen = Map.copyOf(this.keys);
			if (!redis.clear()) {
				return false;
			}
			repaired.cacheCleared();
			seen.forEach(this.keys::remove);
			if (!this.clears.compareAndSet(clearsSeen, 0)) {
				// Another clear failed while this one ran: the next repair clears again.
				return false;
			}
		}
		for (Map.Entry<Object, Long> entry : this.keys.entrySet()) {
			if (!redis.delete(entry.getKey())) {
				return false;
			}
			repaired.keyRepaired(entry.getKey());
			this.keys.remove(entry.getKey(), entry.getValue());
		}
		return settle();
	}

	/**
	 * Clears {@link #any} once nothing is marked, without losing a mark that races it.
	 */
	private boolean settle() {
		if (!this.keys.isEmpty() || this.clears.get() > 0) {
			return false;
		}
		this.any = false;
		if (!this.keys.isEmpty() || this.clears.get() > 0) {
			// A mark landed between the check and the reset.
			this.any = true;
			return false;
		}
		return true;
	}

	/** What a repair asks of Redis. */
	interface Redis {

		/** Deletes one key; {@code false} if Redis could not be asked or failed. */
		boolean delete(Object key);

		/**
		 * Deletes every key of the cache; {@code false} if Redis could not be asked or
		 * failed.
		 */
		boolean clear();

	}

	/** What happens on this instance once Redis is repaired. */
	interface Repaired {

		void keyRepaired(Object key);

		void cacheCleared();

	}

}
