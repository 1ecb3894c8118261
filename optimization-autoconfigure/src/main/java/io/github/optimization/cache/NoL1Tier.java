package io.github.optimization.cache;

import io.github.optimization.cache.key.KeyPattern;

/** A cache without an in-process level: every method is a no-op or a miss. */
final class NoL1Tier implements L1Tier {

	@Override
	public L1Entry get(Object key) {
		return null;
	}

	@Override
	public void install(Object key, L1Entry entry, Stamp stamp) {
	}

	@Override
	public L1Entry installUnlessFresh(Object key, L1Entry entry, Freshness freshness) {
		return null;
	}

	@Override
	public boolean remove(Object key) {
		return false;
	}

	@Override
	public void clear() {
	}

	@Override
	public void removeMatching(KeyPattern pattern) {
	}

	@Override
	public long estimatedSize() {
		return 0;
	}

	@Override
	public Stamp stampForFill(Versions versions, Object key) {
		return null;
	}

}
