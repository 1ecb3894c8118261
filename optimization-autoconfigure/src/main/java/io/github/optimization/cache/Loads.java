package io.github.optimization.cache;

import java.util.concurrent.Callable;

import org.springframework.cache.Cache.ValueRetrievalException;

/**
 * Calls loaders for one cache: times and counts each call, and stores what a flight
 * loaded (if the call's store condition wants it). Thread-safe.
 */
final class Loads {

	private final TieredCacheStatistics stats;

	private final Writes writes;

	Loads(TieredCacheStatistics stats, Writes writes) {
		this.stats = stats;
		this.writes = writes;
	}

	/**
	 * Call the loader for a flight and store its value.
	 * @throws ValueRetrievalException if the loader threw; its cause is what it threw
	 */
	Object load(Object key, Callable<?> loader, LoadOptions options, Flight flight) {
		// A stale value seen on the way (e.g. while waiting for another instance) asked
		// for a refresh after the flight: this load replaces it.
		flight.refreshAfter = null;
		long start = System.nanoTime();
		Object value;
		try {
			value = loader.call();
		}
		catch (Exception ex) {
			failed(start);
			throw new ValueRetrievalException(key, loader, ex);
		}
		succeeded(start);
		storeLoaded(key, value, options, flight);
		return value;
	}

	/** Store a value a flight loaded, if the call's store condition wants it. */
	void storeLoaded(Object key, Object value, LoadOptions options, Flight flight) {
		if (options.shouldStore(value)) {
			this.writes.store(key, value, options, flight);
		}
	}

	/** Count a loader call that returned, begun at {@code start} (nano time). */
	void succeeded(long start) {
		this.stats.loadSuccesses.increment();
		this.stats.loadSuccessNanos.add(System.nanoTime() - start);
	}

	/** Count a loader call that failed, begun at {@code start} (nano time). */
	void failed(long start) {
		this.stats.loadFailures.increment();
		this.stats.loadFailureNanos.add(System.nanoTime() - start);
	}

}
