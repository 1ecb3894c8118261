package io.github.optimization.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.springframework.cache.Cache.ValueRetrievalException;

/**
 * Stale-while-revalidate, refresh-ahead and stale-if-error of one cache. A background
 * refresh is a flight no caller leads, run on the refresh executor: so there is at most
 * one load of a key at a time, whatever started it, callers that miss meanwhile wait for
 * it, and a put, eviction, clear or invalidation while it runs keeps its value out of
 * both levels. It first reads Redis, where another instance may have stored a fresh value
 * already. Thread-safe.
 */
final class StaleRevalidation implements Revalidation {

	private final String name;

	private final L1Tier l1;

	private final StaleL2Reads reads;

	private final Freshness freshness;

	private final Flights flights;

	private final Loads loads;

	private final ClusterFlight clusterFlight;

	private final TieredCacheStatistics stats;

	private final Executor refreshExecutor;

	private final Executor asyncExecutor;

	/** Logs background refreshes that failed and stale values served for failed loads. */
	private final OutageLog loaderLog = new OutageLog();

	StaleRevalidation(String name, L1Tier l1, StaleL2Reads reads, Freshness freshness, Flights flights, Loads loads,
			ClusterFlight clusterFlight, TieredCacheStatistics stats, Executor refreshExecutor,
			Executor asyncExecutor) {
		this.name = name;
		this.l1 = l1;
		this.reads = reads;
		this.freshness = freshness;
		this.flights = flights;
		this.loads = loads;
		this.clusterFlight = clusterFlight;
		this.stats = stats;
		this.refreshExecutor = refreshExecutor;
		this.asyncExecutor = asyncExecutor;
	}

	@Override
	public boolean servedWhileRefreshing(Object key, L1Entry entry, Callable<?> loader,
			Supplier<? extends CompletableFuture<?>> asyncLoader, LoadOptions options) {
		int state = this.freshness.state(entry, this.freshness.now());
		if (state == Freshness.EXPIRED) {
			return false;
		}
		this.stats.l1Hits.increment();
		if (state == Freshness.REVALIDATE) {
			this.stats.staleServedRevalidating.increment();
			refresh(key, entry, entry, loader, asyncLoader, options, RefreshTrigger.STALE);
		}
		else if (state == Freshness.DUE) {
			refresh(key, entry, entry, loader, asyncLoader, options, RefreshTrigger.AHEAD);
		}
		return true;
	}

	@Override
	public void refresh(Object key, L1Entry seen, L1Entry fallback, Callable<?> loader,
			Supplier<? extends CompletableFuture<?>> asyncLoader, LoadOptions options, RefreshTrigger trigger) {
		if (options.storesNothing() || this.flights.isRunning(key)) {
			// A read that stores nothing would throw the refreshed value away.
			return;
		}
		Flight flight = new Flight(this.l1.digestOf(key), this.flights.ticket(key), false);
		flight.stale = fallback;
		flight.background = true;
		if (this.flights.register(key, flight) != null) {
			return;
		}
		if (seen != null) {
			// A refresh may have replaced the entry between our read and our
			// registration.
			L1Entry current = this.l1.get(key);
			if (current != null && current != seen && this.freshness.isQuiet(current)) {
				this.flights.land(key, flight);
				flight.result.complete(current.get());
				return;
			}
		}
		try {
			this.refreshExecutor.execute(() -> runRefresh(key, flight, loader, asyncLoader, options, trigger));
		}
		catch (RuntimeException ex) {
			// Refused (the refresh pool is busy or closed): counted as a failed refresh;
			// callers that joined it load themselves rather than get the executor's
			// exception.
			this.stats.refreshed(trigger, false);
			this.loaderLog.warn("Cache '" + this.name + "' dropped a background refresh (the refresh threads "
					+ "and their queue are full: optimization.cache.refresh.*)", ex);
			this.flights.land(key, flight);
			flight.abandon();
		}
	}

	private void runRefresh(Object key, Flight flight, Callable<?> loader,
			Supplier<? extends CompletableFuture<?>> asyncLoader, LoadOptions options, RefreshTrigger trigger) {
		try {
			Object fresh = this.reads.freshFromL2(key, options, flight);
			if (fresh != null) {
				// Another instance has refreshed it already.
				refreshed(key, flight, L2Reads.value(fresh), null, trigger);
			}
			else if (loader != null) {
				refreshWith(key, flight, loader, options, trigger);
			}
			else {
				refreshAsync(key, flight, asyncLoader, options, trigger);
			}
		}
		catch (RuntimeException | Error ex) {
			refreshed(key, flight, null, ex, trigger);
		}
	}

	private void refreshWith(Object key, Flight flight, Callable<?> loader, LoadOptions options,
			RefreshTrigger trigger) {
		Object value;
		try {
			Supplier<Object> load = () -> this.loads.load(key, loader, options, flight);
			// Once across instances: wait for another's refresh, or load under the lock.
			value = flight.l2Unavailable ? load.get() : L2Reads
				.value(this.clusterFlight.load(key, flight, () -> this.reads.freshFromL2(key, options, flight), load));
		}
		catch (ValueRetrievalException ex) {
			refreshed(key, flight, null, ex, trigger);
			return;
		}
		refreshed(key, flight, value, null, trigger);
	}

	private void refreshAsync(Object key, Flight flight, Supplier<? extends CompletableFuture<?>> asyncLoader,
			LoadOptions options, RefreshTrigger trigger) {
		long start = System.nanoTime();
		asyncLoader.get().whenCompleteAsync((value, ex) -> {
			if (ex != null) {
				this.loads.failed(start);
				refreshed(key, flight, null, ex, trigger);
				return;
			}
			this.loads.succeeded(start);
			try {
				this.loads.storeLoaded(key, value, options, flight);
				refreshed(key, flight, value, null, trigger);
			}
			catch (RuntimeException | Error failure) {
				refreshed(key, flight, null, failure, trigger);
			}
		}, this.asyncExecutor).whenComplete((value, ex) -> {
			if (ex != null) {
				// The executor refused the completion: do not leave the flight behind.
				refreshed(key, flight, null, ex, trigger);
			}
		});
	}

	/** Ends a refresh: counts it, and answers callers that joined it. */
	private void refreshed(Object key, Flight flight, Object value, Throwable failure, RefreshTrigger trigger) {
		if (flight.result.isDone()) {
			return;
		}
		this.flights.land(key, flight);
		if (failure == null) {
			this.stats.refreshed(trigger, true);
			flight.result.complete(value);
			return;
		}
		this.stats.refreshed(trigger, false);
		Throwable cause = ((failure instanceof CompletionException || failure instanceof ValueRetrievalException)
				&& failure.getCause() != null) ? failure.getCause() : failure;
		this.loaderLog.warn("Cache '" + this.name + "' could not refresh an entry in the background; "
				+ "its stale value is served until its window ends", cause);
		L1Entry stale = flight.stale;
		if (stale != null && this.freshness.servesOnError(stale, this.freshness.now())) {
			flight.result.complete(stale.get());
		}
		else {
			flight.result.completeExceptionally(failure);
		}
	}

	@Override
	public boolean servesStaleOnError(Flight flight, Throwable failure) {
		L1Entry stale = flight.stale;
		if (stale == null || !this.freshness.servesOnError(stale, this.freshness.now())) {
			return false;
		}
		this.stats.staleServedOnError.increment();
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		this.loaderLog.warn("Cache '" + this.name + "' answered a failed load with a stale value "
				+ "(within its stale-if-error window)", cause);
		return true;
	}

}
