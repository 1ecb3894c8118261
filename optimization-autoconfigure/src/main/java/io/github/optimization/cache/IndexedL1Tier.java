package io.github.optimization.cache;

import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.optimization.cache.key.CacheKeyEncoder;
import io.github.optimization.cache.key.KeyDigest;
import io.github.optimization.cache.key.KeyPattern;

/**
 * The in-process level of a cache that applies other instances' invalidations, which name
 * keys by digest: it keeps the key of each digest held. The index is changed only under
 * the L1 entry's lock (inside compute or the eviction listener), so it never misses an
 * entry L1 holds; it may briefly keep a stale mapping, which costs nothing but a no-op
 * invalidation.
 */
final class IndexedL1Tier extends CaffeineL1Tier {

	private final ConcurrentHashMap<String, Object> keysByDigest = new ConcurrentHashMap<>();

	IndexedL1Tier(CacheSpec spec, Ticker ticker, Executor executor, TieredCacheStatistics stats) {
		super(spec, ticker, executor, stats);
	}

	@Override
	void evicted(Object key, L1Entry value) {
		if (value != null && value.digest != null) {
			this.keysByDigest.remove(value.digest, key);
		}
	}

	@Override
	public void install(Object key, L1Entry entry, Stamp stamp) {
		String digest = entry.digest;
		this.cache.asMap().compute(key, (k, old) -> {
			// Publish the mapping before looking at the stamp: an invalidation bumps the
			// counters before looking the mapping up, so one of the two always sees the
			// other.
			this.keysByDigest.put(digest, k);
			if (stamp != null && keep(old, entry, stamp)) {
				if (old == null) {
					this.keysByDigest.remove(digest, k);
				}
				return old;
			}
			return entry;
		});
	}

	@Override
	void indexed(String digest, Object key) {
		this.keysByDigest.put(digest, key);
	}

	@Override
	public boolean remove(Object key) {
		boolean[] removed = new boolean[1];
		// compute, not computeIfPresent: Caffeine's computeIfPresent does not wait for an
		// install of the same key that is still running, and would miss it.
		this.cache.asMap().compute(key, (k, entry) -> {
			if (entry != null) {
				this.keysByDigest.remove(entry.digest, k);
				removed[0] = true;
			}
			return null;
		});
		return removed[0];
	}

	@Override
	public void clear() {
		// Entry and mapping together, under each key's lock, so an install racing the
		// clear either sees the bumped counters or is removed with its mapping.
		new ArrayList<>(this.keysByDigest.values()).forEach(this::remove);
		new ArrayList<>(this.cache.asMap().keySet()).forEach(this::remove);
	}

	@Override
	public void removeMatching(KeyPattern pattern) {
		super.removeMatching(pattern);
		this.keysByDigest.values().removeIf((key) -> pattern.matches(CacheKeyEncoder.encode(key)));
	}

	@Override
	public Object keyOf(String digest) {
		return this.keysByDigest.get(digest);
	}

	@Override
	public String digestOf(Object key) {
		return KeyDigest.of(key);
	}

	@Override
	public boolean tracksDigests() {
		return true;
	}

}
