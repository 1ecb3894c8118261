package io.github.optimization.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.springframework.cache.Cache.ValueRetrievalException;

/**
 * What a cache does with entries that are not plainly fresh: stale-while-revalidate and
 * refresh-ahead (a background refresh, see {@link StaleRevalidation}) and stale-if-error
 * (a stale value in place of a loader failure). {@link #NONE} for a cache without those
 * options, whose entries are always fresh.
 */
interface Revalidation {

	/** No stale options: nothing is refreshed or served stale. */
	Revalidation NONE = new Revalidation() {

		@Override
		public boolean servedWhileRefreshing(Object key, L1Entry entry, Callable<?> loader,
				Supplier<? extends CompletableFuture<?>> asyncLoader, LoadOptions options) {
			return false;
		}

		@Override
		public void refresh(Object key, L1Entry seen, L1Entry fallback, Callable<?> loader,
				Supplier<? extends CompletableFuture<?>> asyncLoader, LoadOptions options, RefreshTrigger trigger) {
		}

		@Override
		public boolean servesStaleOnError(Flight flight, Throwable failure) {
			return false;
		}

	};

	/**
	 * Answer a read with a loader of an L1 entry that is not a plain hit: a hit that
	 * starts a refresh-ahead, a stale hit within the stale-while-revalidate window that
	 * starts a revalidation, or {@code false} when the entry is too stale and the caller
	 * is to load. Exactly one of the loaders is given.
	 */
	boolean servedWhileRefreshing(Object key, L1Entry entry, Callable<?> loader,
			Supplier<? extends CompletableFuture<?>> asyncLoader, LoadOptions options);

	/**
	 * Start one background load that replaces a key's entry, unless a load of the key
	 * runs already.
	 * @param seen the L1 entry that asked for the refresh, or {@code null}
	 * @param fallback what callers waiting for the refresh get if it fails, while within
	 * the stale-if-error window, or {@code null}
	 */
	void refresh(Object key, L1Entry seen, L1Entry fallback, Callable<?> loader,
			Supplier<? extends CompletableFuture<?>> asyncLoader, LoadOptions options, RefreshTrigger trigger);

	/**
	 * Whether the flight holds a stale entry within the stale-if-error window to answer a
	 * loader failure with; if so, it is counted and logged (at a bounded rate).
	 */
	boolean servesStaleOnError(Flight flight, Throwable failure);

	/**
	 * The flight's stale value in place of a loader failure, or the failure if there is
	 * none.
	 */
	default Object staleOnError(Flight flight, ValueRetrievalException failure) {
		if (servesStaleOnError(flight, failure.getCause())) {
			return flight.stale.get();
		}
		throw failure;
	}

}
