package io.github.optimization.cache;

import io.github.optimization.cache.key.KeyPattern;

/**
 * The in-process level of one cache, as the cache's parts see it: entries by key, and,
 * where other instances' invalidations (which name keys by digest) are applied, the key
 * of each digest. {@link #NONE} when the cache has no in-process level. Thread-safe.
 */
interface L1Tier {

	/** No in-process level: holds nothing, installs nothing. */
	L1Tier NONE = new NoL1Tier();

	/** The entry of a key, or {@code null}. Allocates nothing. */
	L1Entry get(Object key);

	/**
	 * Put an entry, atomically with any change of the key: with a stamp, only while the
	 * stamp is current.
	 * @param key the key
	 * @param entry the entry
	 * @param stamp what proves nothing changed the key since its value was read or
	 * loaded, or {@code null} to put unconditionally
	 */
	void install(Object key, L1Entry entry, Stamp stamp);

	/**
	 * Put an entry unless a fresh one is held.
	 * @return the fresh entry held, or {@code null} if this one went in
	 */
	L1Entry installUnlessFresh(Object key, L1Entry entry, Freshness freshness);

	/** Remove a key (with its digest). @return whether an entry was held */
	boolean remove(Object key);

	/**
	 * Remove every entry; an install racing the clear is either refused by its stamp or
	 * removed.
	 */
	void clear();

	/** Remove the string keys that match a pattern. */
	void removeMatching(KeyPattern pattern);

	/** The key of a digest held, or {@code null} (always without a digest index). */
	default Object keyOf(String digest) {
		return null;
	}

	/**
	 * The key's digest when this level keeps a digest index, else {@code null} (a cache
	 * without it computes one only when it writes a value back).
	 */
	default String digestOf(Object key) {
		return null;
	}

	/** Whether this level keeps a digest index, so other instances' changes apply. */
	default boolean tracksDigests() {
		return false;
	}

	/** The approximate number of entries. */
	long estimatedSize();

	/**
	 * The stamp a plain read of the shared level takes before reading, to fill this level
	 * with what it read; {@code null} when there is nothing to fill.
	 */
	Stamp stampForFill(Versions versions, Object key);

}
