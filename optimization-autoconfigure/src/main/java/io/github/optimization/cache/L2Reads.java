package io.github.optimization.cache;

import java.time.Duration;

import io.github.optimization.cache.codec.Decoded;

/**
 * What one cache makes of a value read from its shared level: whether it is served, and
 * the L1 entry it becomes (for at most the entry's remaining L2 life and at most the L1
 * lifetime cap), installed only while the read's {@link Stamp} is current. A read without
 * a stamp fills nothing (the cache has no L1). {@link PlainL2Reads} for a cache without
 * stale options, {@link StaleL2Reads} for one with them. Thread-safe.
 */
abstract class L2Reads {

	/** What {@link #readFirst} returns when it leaves the read to the flight. */
	static final Object SKIPPED = new Object();

	final L1Tier l1;

	final L2Tier l2;

	final Lifetimes lifetimes;

	final TieredCacheStatistics stats;

	private final Versions versions;

	L2Reads(L1Tier l1, L2Tier l2, Lifetimes lifetimes, Versions versions, TieredCacheStatistics stats) {
		this.l1 = l1;
		this.l2 = l2;
		this.lifetimes = lifetimes;
		this.versions = versions;
		this.stats = stats;
	}

	/** The stored form of a decoded value ({@link L1Entry#NULL} for a cached null). */
	static Object stored(Decoded decoded) {
		return decoded.isNull() ? L1Entry.NULL : decoded.value();
	}

	/** The value of a stored form. */
	static Object value(Object stored) {
		return (stored == L1Entry.NULL) ? null : stored;
	}

	/**
	 * The stamp of a plain read without a flight, taken before Redis is read.
	 */
	final Stamp stampForFill(Object key) {
		return this.l1.stampForFill(this.versions, key);
	}

	/**
	 * Read a key and serve it (see {@link #served}).
	 * @param stamp what the L1 fill is installed with, or {@code null} for no fill
	 * @param flight the flight of a read with a loader, or {@code null}; marked when
	 * Redis could not be asked ({@link Flight#l2Unavailable})
	 * @return the stored form, or {@code null} when the caller is to load
	 */
	final Object read(Object key, LoadOptions options, Stamp stamp, Flight flight) {
		Decoded decoded = this.l2.read(key, options.type());
		if (decoded == L2Tier.UNAVAILABLE) {
			if (flight != null) {
				flight.l2Unavailable = true;
			}
			return null;
		}
		if (decoded == null) {
			return null;
		}
		return served(key, decoded, options.ttl(), stamp, flight);
	}

	/**
	 * The read of a caller with a loader before it joins or leads a flight.
	 * @return the stored form on a hit, {@code null} on a miss,
	 * {@link L2Tier#UNAVAILABLE} when Redis could not be asked, or {@link #SKIPPED} when
	 * the flight is to read
	 */
	abstract Object readFirst(Object key, LoadOptions options);

	/**
	 * What a value read from Redis makes: filled into L1 and counted as a hit when it is
	 * served.
	 * @param flight the flight of a read with a loader, or {@code null}
	 * @return the stored form to return, or {@code null} when the caller is to load
	 */
	abstract Object served(Object key, Decoded decoded, Duration ttlOverride, Stamp stamp, Flight flight);

	/**
	 * Put a value read from Redis into L1 (fresh until the time in its envelope) if its
	 * life is not over.
	 * @return the entry, or {@code null} if its physical life is over
	 */
	final L1Entry fill(Object key, Object stored, long expiresAtMillis, Duration ttlOverride, Stamp stamp,
			Flight flight) {
		L1Entry entry = this.lifetimes.fromRedis(key, stored, expiresAtMillis, ttlOverride, flight);
		if (entry != null && stamp != null) {
			this.l1.install(key, entry, stamp);
		}
		return entry;
	}

	/** {@link #fill} of a plain read (a batch, a put-if-absent). */
	final void fill(Object key, Object stored, long expiresAtMillis, Stamp stamp) {
		fill(key, stored, expiresAtMillis, null, stamp, null);
	}

}
