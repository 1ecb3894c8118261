package io.github.optimization.cache;

import io.github.optimization.cache.key.KeyDigest;

/**
 * What one cache tells other instances through its {@link InvalidationPublisher}.
 * {@link #NONE} when nobody listens (no shared level, or no publisher), so no digest is
 * computed for nothing.
 */
class Announcements {

	/** Announces nothing. */
	static final Announcements NONE = new Announcements(null, InvalidationPublisher.NONE) {
		@Override
		void keyChanged(Object key) {
		}
	};

	private final String cacheName;

	private final InvalidationPublisher publisher;

	private Announcements(String cacheName, InvalidationPublisher publisher) {
		this.cacheName = cacheName;
		this.publisher = publisher;
	}

	/** The announcements of a cache: {@link #NONE} unless it has a shared level. */
	static Announcements of(String cacheName, InvalidationPublisher publisher, L2Tier l2) {
		return (l2.isPresent() && publisher != InvalidationPublisher.NONE) ? new Announcements(cacheName, publisher)
				: NONE;
	}

	/** Whether anyone listens (so write-backs are worth remembering). */
	boolean isHeard() {
		return this != NONE;
	}

	void keyChanged(Object key) {
		this.publisher.keyChanged(this.cacheName, KeyDigest.of(key));
	}

	void keyDropped(String digest) {
		this.publisher.keyDropped(this.cacheName, digest);
	}

	void cacheCleared() {
		this.publisher.cacheCleared(this.cacheName);
	}

}
