package io.github.optimization.cache;

import io.github.optimization.cache.codec.Decoded;
import io.github.optimization.cache.key.KeyDigest;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * Writes of one cache: Redis first, then L1, each value with its own TTL (jittered) and
 * life. An explicit write marks its key changed before and after writing Redis, so a read
 * begun before cannot install an older value; a loaded value is written (and installed)
 * only while its flight is current, and remembered to be undone if it raced another
 * instance's change. Thread-safe.
 */
final class Writes {

	private final CacheSpec spec;

	private final L1Tier l1;

	private final L2Tier l2;

	private final L2Reads reads;

	private final Lifetimes lifetimes;

	private final Freshness freshness;

	private final Flights flights;

	private final TieredCacheStatistics stats;

	private final RecentWriteBacks writeBacks;

	private final Announcements announcements;

	Writes(CacheSpec spec, L1Tier l1, L2Tier l2, L2Reads reads, Lifetimes lifetimes, Freshness freshness,
			Flights flights, TieredCacheStatistics stats, RecentWriteBacks writeBacks, Announcements announcements) {
		this.spec = spec;
		this.l1 = l1;
		this.l2 = l2;
		this.reads = reads;
		this.lifetimes = lifetimes;
		this.freshness = freshness;
		this.flights = flights;
		this.stats = stats;
		this.writeBacks = writeBacks;
		this.announcements = announcements;
	}

	/**
	 * An explicit put of a value to store (a {@code null} only when nulls are cached).
	 */
	void put(Object key, Object value, LoadOptions options) {
		this.flights.keyChanged(key);
		store(key, value, options, null);
		this.announcements.keyChanged(key);
	}

	/** Writes L2 then L1; for a flight, only while nothing changed the key. */
	void store(Object key, Object value, LoadOptions options, Flight flight) {
		if (value == null && !this.spec.cacheNulls()) {
			return;
		}
		long ttlMillis = this.lifetimes.ttlMillis(value, options.ttl());
		this.stats.puts.increment();
		if (flight == null) {
			writeExplicit(key, value, options, ttlMillis);
			// A read that started after the first change may have read Redis before our
			// write landed: stale it again, before L1 changes.
			this.flights.keyChanged(key);
		}
		else if (flight.isCurrent() && !flight.l2Unavailable) {
			writeLoaded(key, value, options, ttlMillis, flight);
		}
		this.l1.install(key, this.lifetimes.stored(key, value, ttlMillis, flight), flight);
	}

	private void writeExplicit(Object key, Object value, LoadOptions options, long ttlMillis) {
		byte[] written = this.l2.write(key, value, options.type(), ttlMillis, this.lifetimes.lifeMillis(ttlMillis));
		if (written != null) {
			this.l2.keyChangeReached(key);
		}
		else {
			// An explicit put that did not reach Redis: its older value must go there,
			// and is not read from there meanwhile.
			this.l2.keyChangeFailed(key);
		}
	}

	private void writeLoaded(Object key, Object value, LoadOptions options, long ttlMillis, Flight flight) {
		byte[] written = this.l2.write(key, value, options.type(), ttlMillis, this.lifetimes.lifeMillis(ttlMillis));
		if (written == null) {
			return;
		}
		if (flight.isCurrent()) {
			// A change elsewhere whose message is still on its way is undone later.
			wroteBack(key, flight.digest, written);
		}
		else {
			// The key changed while we wrote an older value: do not leave it behind.
			this.l2.delete(key);
		}
	}

	/**
	 * Remember a loaded value written back to Redis, to undo it if it raced a change
	 * elsewhere.
	 */
	void wroteBack(Object key, String digest, byte[] written) {
		if (this.writeBacks != RecentWriteBacks.NONE) {
			this.writeBacks.written((digest != null) ? digest : KeyDigest.of(key), key, written);
		}
	}

	/** Puts a loaded value in L1, unless the key changed since the ticket was taken. */
	void installLoaded(Object key, Object value, long ttlMillis, Versions.Ticket ticket) {
		this.l1.install(key, this.lifetimes.stored(key, value, ttlMillis, null), ticket);
	}

	/**
	 * {@link org.springframework.cache.Cache#putIfAbsent}: a fresh value held in either
	 * level wins; a stale one counts as absent.
	 */
	ValueWrapper putIfAbsent(Object key, Object value) {
		L1Entry existing = this.l1.get(key);
		if (existing != null && this.freshness.isFresh(existing)) {
			return existing;
		}
		if (value == null && !this.spec.cacheNulls()) {
			return null;
		}
		Versions.Ticket ticket = this.flights.ticket(key);
		long ttlMillis = this.lifetimes.ttlMillis(value, null);
		long lifeMillis = this.lifetimes.lifeMillis(ttlMillis);
		Boolean written = this.l2.writeIfAbsent(key, value, null, ttlMillis, lifeMillis);
		if (Boolean.FALSE.equals(written)) {
			ValueWrapper held = heldInL2(key, ticket);
			if (held != null) {
				return held;
			}
			// The existing entry is unreadable (refused or gone) or stale: replace it.
			this.l2.write(key, value, null, ttlMillis, lifeMillis);
		}
		this.stats.puts.increment();
		L1Entry previous = this.l1.installUnlessFresh(key, this.lifetimes.stored(key, value, ttlMillis, null),
				this.freshness);
		if (previous == null) {
			this.flights.keyChanged(key);
			this.announcements.keyChanged(key);
		}
		return previous;
	}

	/** The fresh value Redis holds for a key (put in L1 too), or {@code null}. */
	private ValueWrapper heldInL2(Object key, Versions.Ticket ticket) {
		Decoded decoded = this.l2.read(key, null);
		if (decoded == null || decoded == L2Tier.UNAVAILABLE
				|| !this.lifetimes.isFreshInRedis(decoded.expiresAtEpochMillis())) {
			return null;
		}
		Object stored = decoded.isNull() ? L1Entry.NULL : decoded.value();
		this.reads.fill(key, stored, decoded.expiresAtEpochMillis(), ticket);
		return new SimpleValueWrapper((stored == L1Entry.NULL) ? null : stored);
	}

}
