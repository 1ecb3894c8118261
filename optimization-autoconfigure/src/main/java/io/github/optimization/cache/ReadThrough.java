package io.github.optimization.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.springframework.cache.Cache.ValueRetrievalException;

/**
 * Reads with a loader of one cache ({@link TieredCache#getOrLoad}): L1, then Redis, then
 * one loader call per key per JVM (a {@link Flight}), or once across instances with
 * cluster single flight.
 *
 * <p>
 * A cache without stale options reads Redis before it enters a flight, so a hit costs no
 * flight: the read's L1 fill is stamped with a ticket taken before the read, so a put,
 * eviction, clear or invalidation that raced it keeps the value out of L1. Only a miss
 * registers a flight; if a flight of the key's stripe ended or the key changed between
 * that read and the registration, the leader reads Redis again (as it would have, had it
 * registered first), so a value another flight stored meanwhile is found rather than
 * loaded twice. A cache with stale options reads Redis inside the flight, which carries a
 * stale value and the refresh it asks for. Thread-safe.
 */
final class ReadThrough {

	private final L1Tier l1;

	private final L2Reads reads;

	private final Freshness freshness;

	private final Revalidation revalidation;

	private final Flights flights;

	private final Loads loads;

	private final ClusterFlight clusterFlight;

	private final TieredCacheStatistics stats;

	private final long loadWaitNanos;

	ReadThrough(L1Tier l1, L2Reads reads, Freshness freshness, Revalidation revalidation, Flights flights, Loads loads,
			ClusterFlight clusterFlight, TieredCacheStatistics stats, long loadWaitNanos) {
		this.l1 = l1;
		this.reads = reads;
		this.freshness = freshness;
		this.revalidation = revalidation;
		this.flights = flights;
		this.loads = loads;
		this.clusterFlight = clusterFlight;
		this.stats = stats;
		this.loadWaitNanos = loadWaitNanos;
	}

	/**
	 * The L1 entry of a plain hit, counted; {@code null} if L1 does not hold the key, or
	 * holds it stale or due for a refresh-ahead. Allocates nothing.
	 */
	L1Entry fromL1(Object key) {
		L1Entry entry = this.l1.get(key);
		if (entry == null || !this.freshness.isQuiet(entry)) {
			return null;
		}
		this.stats.l1Hits.increment();
		return entry;
	}

	/**
	 * The L1 entry of a fresh hit (a refresh-ahead may be due), counted; {@code null} if
	 * L1 does not hold the key or holds it stale. Allocates nothing.
	 */
	L1Entry fromL1Fresh(Object key) {
		L1Entry entry = this.l1.get(key);
		if (entry == null || !this.freshness.isFresh(entry)) {
			return null;
		}
		this.stats.l1Hits.increment();
		return entry;
	}

	/** See {@link TieredCache#getOrLoad}. */
	Object getOrLoad(Object key, Callable<?> loader, LoadOptions options) {
		L1Entry stale = null;
		L1Entry entry = this.l1.get(key);
		if (entry != null) {
			if (this.freshness.isQuiet(entry)) {
				this.stats.l1Hits.increment();
				return entry.get();
			}
			if (this.revalidation.servedWhileRefreshing(key, entry, loader, null, options)) {
				return entry.get();
			}
			stale = entry;
		}
		long activity = this.flights.activity(key);
		Object first = this.reads.readFirst(key, options);
		if (first != null && first != L2Reads.SKIPPED && first != L2Tier.UNAVAILABLE) {
			return L2Reads.value(first);
		}
		Flight flight = new Flight(this.l1.digestOf(key), this.flights.ticket(key), true);
		flight.stale = stale;
		flight.l2Unavailable = (first == L2Tier.UNAVAILABLE);
		Flight running = this.flights.register(key, flight);
		if (running != null) {
			return follow(running, key, loader, options, flight);
		}
		boolean readL2 = (first == L2Reads.SKIPPED) || this.flights.activity(key) != activity;
		return lead(key, loader, options, flight, readL2);
	}

	/** Wait for the running flight; load without it if its leader is stuck. */
	private Object follow(Flight running, Object key, Callable<?> loader, LoadOptions options, Flight flight) {
		this.stats.misses.increment();
		try {
			return awaitLeader(running, key, loader);
		}
		catch (TimeoutException ex) {
			// The leader is stuck: do not let it hold this caller too.
			Flight own = new Flight(flight.digest, this.flights.ticket(key), true);
			own.stale = flight.stale;
			try {
				return this.loads.load(key, loader, options, own);
			}
			catch (ValueRetrievalException failure) {
				return this.revalidation.staleOnError(own, failure);
			}
		}
	}

	private Object lead(Object key, Callable<?> loader, LoadOptions options, Flight flight, boolean readL2) {
		try {
			Object value = loadThrough(key, loader, options, flight, readL2);
			flight.result.complete(value);
			return value;
		}
		catch (ValueRetrievalException ex) {
			try {
				Object value = this.revalidation.staleOnError(flight, ex);
				flight.result.complete(value);
				return value;
			}
			catch (ValueRetrievalException failure) {
				flight.result.completeExceptionally(failure);
				throw failure;
			}
		}
		catch (RuntimeException | Error ex) {
			flight.result.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.flights.land(key, flight);
			if (flight.refreshAfter != null) {
				this.revalidation.refresh(key, null, flight.stale, loader, null, options, flight.refreshAfter);
			}
		}
	}

	/**
	 * Wait for the leader of a flight for the load-wait timeout; if the leader is waiting
	 * for another instance (cluster single flight), wait for that wait and the leader's
	 * own load after it too (at most one more timeout) rather than start one more load.
	 */
	private Object awaitLeader(Flight running, Object key, Callable<?> loader) throws TimeoutException {
		try {
			return running.await(key, loader, this.loadWaitNanos);
		}
		catch (TimeoutException ex) {
			long extra = running.extraWaitNanos(this.loadWaitNanos);
			if (extra <= 0) {
				throw ex;
			}
			return running.await(key, loader, extra);
		}
	}

	private Object loadThrough(Object key, Callable<?> loader, LoadOptions options, Flight flight, boolean readL2) {
		// A flight for this key may have finished between our miss and our registration.
		L1Entry entry = this.l1.get(key);
		if (entry != null && this.freshness.isFresh(entry)) {
			this.stats.l1Hits.increment();
			return entry.get();
		}
		if (readL2 && !flight.l2Unavailable) {
			Object stored = this.reads.read(key, options, flight, flight);
			if (stored != null) {
				return L2Reads.value(stored);
			}
		}
		Supplier<Object> load = () -> {
			this.stats.misses.increment();
			return this.loads.load(key, loader, options, flight);
		};
		if (flight.l2Unavailable) {
			return load.get();
		}
		// Once across instances: wait for another's load, or load under the lock.
		return this.clusterFlight.load(key, flight, () -> this.reads.read(key, options, flight, flight), load);
	}

}
