package io.github.optimization.cache;

import java.util.function.Consumer;

import io.github.optimization.cache.key.KeyPattern;

/**
 * Evictions and clears of one cache, the changes other instances announce, and the repair
 * of Redis after an outage. Each change marks its keys changed first (so reads and loads
 * still running install nothing), changes Redis, then L1, then is announced. Thread-safe.
 */
final class Invalidations {

	private final L1Tier l1;

	private final L2Tier l2;

	private final Flights flights;

	private final TieredCacheStatistics stats;

	private final RecentWriteBacks writeBacks;

	private final Announcements announcements;

	/**
	 * Applies another instance's change of a key known by its digest: a no-op unless L1
	 * keeps a digest index.
	 */
	private final Consumer<String> digestDropper;

	Invalidations(L1Tier l1, L2Tier l2, Flights flights, TieredCacheStatistics stats, RecentWriteBacks writeBacks,
			Announcements announcements) {
		this.l1 = l1;
		this.l2 = l2;
		this.flights = flights;
		this.stats = stats;
		this.writeBacks = writeBacks;
		this.announcements = announcements;
		this.digestDropper = l1.tracksDigests() ? this::dropTracked : (digest) -> {
		};
	}

	/** See {@link TieredCache#evictIfPresent}. */
	boolean evict(Object key) {
		this.flights.keyChanged(key);
		Boolean deleted = this.l2.delete(key);
		if (deleted == null) {
			this.l2.keyChangeFailed(key);
		}
		else {
			this.l2.keyChangeReached(key);
		}
		boolean present = Boolean.TRUE.equals(deleted);
		// A read that started after the first change may have read Redis before the
		// delete landed: stale it again, before L1 changes.
		this.flights.keyChanged(key);
		present |= this.l1.remove(key);
		if (present) {
			this.stats.evictions.increment();
		}
		this.announcements.keyChanged(key);
		return present;
	}

	/** See {@link TieredCache#evictMatching}. */
	long evictMatching(String keyPattern) {
		KeyPattern pattern = KeyPattern.compile(keyPattern);
		this.flights.allChanged();
		long deleted = this.l2.deleteMatching(keyPattern);
		if (deleted < 0) {
			// Which keys matched is unknown: the whole cache is repaired in Redis.
			this.l2.clearFailed();
		}
		this.l1.removeMatching(pattern);
		this.announcements.cacheCleared();
		return deleted;
	}

	/** See {@link TieredCache#invalidate}. */
	boolean invalidate() {
		this.flights.epochChanged();
		long deleted = this.l2.deleteAll();
		if (deleted < 0) {
			this.l2.clearFailed();
		}
		boolean present = deleted > 0 || this.l1.estimatedSize() > 0;
		clearL1();
		this.announcements.cacheCleared();
		return present;
	}

	/** See {@link TieredCache#clearL1}. */
	void clearL1() {
		this.flights.allChanged();
		this.l1.clear();
	}

	/** See {@link TieredCache#invalidateL1}. */
	void invalidateL1(String keyDigest) {
		RecentWriteBacks.WriteBack writeBack = this.writeBacks.take(keyDigest);
		boolean undone = (writeBack != null) && undo(writeBack);
		dropFromL1(keyDigest);
		if (undone) {
			this.announcements.keyDropped(keyDigest);
		}
	}

	/** See {@link TieredCache#undoRecentWriteBacks}. */
	void undoRecentWriteBacks() {
		this.writeBacks.takeAll().forEach((digest, writeBack) -> {
			if (undo(writeBack)) {
				this.announcements.keyDropped(digest);
			}
		});
	}

	/**
	 * Delete a write-back in Redis if Redis still holds its bytes; if that cannot be
	 * known, delete the key once Redis answers (a pending repair, after which peers
	 * flush).
	 * @return whether it was deleted now
	 */
	private boolean undo(RecentWriteBacks.WriteBack writeBack) {
		Boolean deleted = this.l2.deleteIfWritten(writeBack.key(), writeBack.bytes());
		if (deleted == null) {
			this.l2.keyChangeFailed(writeBack.key());
			return false;
		}
		if (deleted) {
			this.stats.writeBacksUndone.increment();
		}
		return deleted;
	}

	/** See {@link TieredCache#dropFromL1}. */
	void dropFromL1(String keyDigest) {
		this.digestDropper.accept(keyDigest);
	}

	private void dropTracked(String keyDigest) {
		this.flights.digestChanged(keyDigest);
		Object key = this.l1.keyOf(keyDigest);
		if (key != null) {
			this.l1.remove(key);
		}
	}

	/** See {@link TieredCache#repairL2}. */
	boolean repairL2() {
		return this.l2.repair(new PendingRepairs.Repaired() {
			@Override
			public void keyRepaired(Object key) {
				Invalidations.this.flights.keyChanged(key);
				Invalidations.this.l1.remove(key);
			}

			@Override
			public void cacheCleared() {
				clearL1();
			}
		});
	}

	/** Whether a put, eviction or clear of this cache waits to be repaired in Redis. */
	boolean hasPendingRepairs() {
		return this.l2.hasPendingRepairs();
	}

}
