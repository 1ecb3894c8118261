package io.github.optimization.cache;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Applies what arrives from other instances to the caches of a {@link TieredCacheManager}
 * (the {@link InvalidationHandler} side of the manager): a changed or dropped key, a
 * cleared cache, and the flush of every in-process entry when changes may have been
 * missed (counted by reason); and repairs Redis for every cache once it answers again.
 * Thread-safe.
 */
final class InvalidationDispatch {

	private static final Log logger = LogFactory.getLog(TieredCacheManager.class);

	private final Map<FlushReason, LongAdder> counts = new EnumMap<>(FlushReason.class);

	/**
	 * Whether the invalidation subscription was established before (its first one undoes
	 * nothing).
	 */
	private final AtomicBoolean subscribedBefore = new AtomicBoolean();

	private final Map<String, TieredCache> caches;

	InvalidationDispatch(Map<String, TieredCache> caches) {
		this.caches = caches;
		for (FlushReason reason : FlushReason.values()) {
			this.counts.put(reason, new LongAdder());
		}
	}

	boolean keyInvalidated(String cacheName, String keyDigest) {
		TieredCache cache = this.caches.get(cacheName);
		if (cache == null) {
			return false;
		}
		cache.invalidateL1(keyDigest);
		return true;
	}

	boolean keyDropped(String cacheName, String keyDigest) {
		TieredCache cache = this.caches.get(cacheName);
		if (cache == null) {
			return false;
		}
		cache.dropFromL1(keyDigest);
		return true;
	}

	boolean cacheInvalidated(String cacheName) {
		TieredCache cache = this.caches.get(cacheName);
		if (cache == null) {
			return false;
		}
		cache.clearL1();
		cache.undoRecentWriteBacks();
		return true;
	}

	boolean repairL2() {
		boolean done = true;
		for (TieredCache cache : this.caches.values()) {
			done &= cache.repairL2();
		}
		return done;
	}

	boolean hasPendingRepairs() {
		for (TieredCache cache : this.caches.values()) {
			if (cache.hasPendingRepairs()) {
				return true;
			}
		}
		return false;
	}

	void flushAll(FlushReason reason) {
		// The first subscription of the instance follows its start: undoing the
		// write-backs of its first loads (cache warming among them) would only make every
		// key load twice.
		boolean firstSubscription = reason == FlushReason.RESUBSCRIBE
				&& this.subscribedBefore.compareAndSet(false, true);
		boolean undo = reason.undoesRecentWriteBacks() && !firstSubscription;
		this.caches.values().stream().filter(TieredCache::isTwoLevel).forEach((cache) -> {
			cache.clearL1();
			if (undo) {
				// A change announced in a message that was lost may have raced a
				// write-back.
				cache.undoRecentWriteBacks();
			}
		});
		this.counts.get(reason).increment();
		logger.info("Dropped the in-process entries of all tiered caches (" + reason.tagValue()
				+ "): invalidations may have been missed");
	}

	long count(FlushReason reason) {
		return this.counts.get(reason).sum();
	}

}
