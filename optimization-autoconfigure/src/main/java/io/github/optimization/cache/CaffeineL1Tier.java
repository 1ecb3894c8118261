package io.github.optimization.cache;

import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.optimization.cache.key.CacheKeyEncoder;
import io.github.optimization.cache.key.KeyPattern;

/**
 * The in-process level over Caffeine: bounded by size, each entry living for the life it
 * was given when written (reads do not extend it). Keeps no digest index; see
 * {@link IndexedL1Tier} for the one that does.
 */
class CaffeineL1Tier implements L1Tier {

	final Cache<Object, L1Entry> cache;

	CaffeineL1Tier(CacheSpec spec, Ticker ticker, Executor executor, TieredCacheStatistics stats) {
		this.cache = Caffeine.newBuilder()
			.maximumSize(spec.l1MaximumSize())
			.expireAfter(new EntryLife())
			.ticker(ticker)
			.executor(executor)
			.evictionListener((Object key, L1Entry value, RemovalCause cause) -> {
				if (cause == RemovalCause.SIZE) {
					stats.evictions.increment();
				}
				evicted(key, value);
			})
			.build();
	}

	/** Called when Caffeine evicted an entry (by size or expiry). */
	void evicted(Object key, L1Entry value) {
	}

	@Override
	public final L1Entry get(Object key) {
		return this.cache.getIfPresent(key);
	}

	@Override
	public void install(Object key, L1Entry entry, Stamp stamp) {
		if (stamp == null) {
			this.cache.put(key, entry);
			return;
		}
		this.cache.asMap().compute(key, (k, old) -> keep(old, entry, stamp) ? old : entry);
	}

	/**
	 * Whether an install with a stamp keeps what L1 holds: the key changed since the
	 * value was read or loaded, or a plain fill would replace a fresher value a refresh
	 * stored meanwhile.
	 */
	static boolean keep(L1Entry old, L1Entry entry, Stamp stamp) {
		if (!stamp.isCurrent()) {
			return true;
		}
		return stamp.yieldsToFresher() && old instanceof TimedL1Entry held && entry instanceof TimedL1Entry read
				&& held.freshUntilNanos - read.freshUntilNanos > 0;
	}

	@Override
	public L1Entry installUnlessFresh(Object key, L1Entry entry, Freshness freshness) {
		L1Entry[] existing = new L1Entry[1];
		this.cache.asMap().compute(key, (k, old) -> {
			if (old != null && freshness.isFresh(old)) {
				existing[0] = old;
				return old;
			}
			indexed(entry.digest, k);
			return entry;
		});
		return existing[0];
	}

	/** Called under the key's lock when an entry with a digest goes in. */
	void indexed(String digest, Object key) {
	}

	@Override
	public boolean remove(Object key) {
		return this.cache.asMap().remove(key) != null;
	}

	@Override
	public void clear() {
		this.cache.invalidateAll();
	}

	@Override
	public void removeMatching(KeyPattern pattern) {
		this.cache.asMap().keySet().removeIf((key) -> pattern.matches(CacheKeyEncoder.encode(key)));
	}

	@Override
	public final long estimatedSize() {
		return this.cache.estimatedSize();
	}

	@Override
	public final Stamp stampForFill(Versions versions, Object key) {
		return versions.ticket(key);
	}

	/**
	 * Each L1 entry lives for the life it was given when written; reads do not extend it.
	 */
	private static final class EntryLife implements Expiry<Object, L1Entry> {

		@Override
		public long expireAfterCreate(Object key, L1Entry value, long currentTime) {
			return value.lifeNanos;
		}

		@Override
		public long expireAfterUpdate(Object key, L1Entry value, long currentTime, long currentDuration) {
			return value.lifeNanos;
		}

		@Override
		public long expireAfterRead(Object key, L1Entry value, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
