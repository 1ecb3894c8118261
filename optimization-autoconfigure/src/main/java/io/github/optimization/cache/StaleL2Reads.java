package io.github.optimization.cache;

import java.time.Duration;

import io.github.optimization.cache.codec.Decoded;

/**
 * Reads of a cache with stale options, whose Redis envelopes hold the fresh-until time: a
 * value goes into L1 with that time and its remaining physical life; it is served
 * (counted as a hit) if fresh or, with a flight, within its stale-while-revalidate
 * window, in which case, as when it is due for a refresh-ahead, the flight's leader
 * starts a background refresh once the flight is over. A staler value is kept on the
 * flight for stale-if-error. A caller with a loader reads inside its flight, which
 * carries those.
 */
final class StaleL2Reads extends L2Reads {

	private final Freshness freshness;

	StaleL2Reads(L1Tier l1, L2Tier l2, Lifetimes lifetimes, Versions versions, TieredCacheStatistics stats,
			Freshness freshness) {
		super(l1, l2, lifetimes, versions, stats);
		this.freshness = freshness;
	}

	@Override
	Object readFirst(Object key, LoadOptions options) {
		return SKIPPED;
	}

	@Override
	Object served(Object key, Decoded decoded, Duration ttlOverride, Stamp stamp, Flight flight) {
		Object stored = stored(decoded);
		L1Entry entry = fill(key, stored, decoded.expiresAtEpochMillis(), ttlOverride, stamp, flight);
		if (entry == null) {
			return null;
		}
		long now = this.freshness.now();
		int state = this.freshness.state(entry, now);
		if (state == Freshness.FRESH || (state == Freshness.DUE && flight == null)) {
			this.stats.l2Hits.increment();
			return stored;
		}
		if (flight == null) {
			return null;
		}
		if (state == Freshness.DUE || state == Freshness.REVALIDATE) {
			this.stats.l2Hits.increment();
			if (state == Freshness.REVALIDATE) {
				this.stats.staleServedRevalidating.increment();
				flight.stale = entry;
			}
			flight.refreshAfter = (state == Freshness.DUE) ? RefreshTrigger.AHEAD : RefreshTrigger.STALE;
			return stored;
		}
		if (this.freshness.servesOnError(entry, now)) {
			flight.stale = Freshness.newer(flight.stale, entry);
		}
		return null;
	}

	/**
	 * For a refresh: the key's value in Redis if it is fresh (put in L1 too), or
	 * {@code null} (missing, stale, refused, or Redis unusable, which sets
	 * {@link Flight#l2Unavailable}).
	 * @return the stored form, or {@code null}
	 */
	Object freshFromL2(Object key, LoadOptions options, Flight flight) {
		Decoded decoded = this.l2.read(key, options.type());
		if (decoded == L2Tier.UNAVAILABLE) {
			flight.l2Unavailable = true;
			return null;
		}
		if (decoded == null) {
			return null;
		}
		Object stored = stored(decoded);
		L1Entry entry = this.lifetimes.fromRedis(key, stored, decoded.expiresAtEpochMillis(), options.ttl(), flight);
		if (entry == null || this.freshness.state(entry, this.freshness.now()) != Freshness.FRESH) {
			return null;
		}
		this.l1.install(key, entry, flight);
		return stored;
	}

}
