package io.github.optimization.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.github.optimization.cache.codec.Decoded;

import org.springframework.cache.support.SimpleValueWrapper;

/**
 * The asynchronous reads of one cache ({@code Cache.retrieve}): L1, then Redis without
 * blocking, then the loader's future, with the flights, stale entries and write rules of
 * the synchronous path. Decoding, the loader's future and the store run on the cache's
 * asynchronous executor, never on a Redis client thread. Thread-safe.
 */
final class AsyncReadThrough {

	private final L1Tier l1;

	private final L2Tier l2;

	private final L2Reads reads;

	private final Freshness freshness;

	private final Revalidation revalidation;

	private final Flights flights;

	private final Loads loads;

	private final TieredCacheStatistics stats;

	private final Executor asyncExecutor;

	AsyncReadThrough(L1Tier l1, L2Tier l2, L2Reads reads, Freshness freshness, Revalidation revalidation,
			Flights flights, Loads loads, TieredCacheStatistics stats, Executor asyncExecutor) {
		this.l1 = l1;
		this.l2 = l2;
		this.reads = reads;
		this.freshness = freshness;
		this.revalidation = revalidation;
		this.flights = flights;
		this.loads = loads;
		this.stats = stats;
		this.asyncExecutor = asyncExecutor;
	}

	/** See {@link TieredCache#retrieve(Object)}. */
	CompletableFuture<?> retrieve(Object key) {
		L1Entry entry = this.l1.get(key);
		if (entry != null && this.freshness.isFresh(entry)) {
			this.stats.l1Hits.increment();
			return CompletableFuture.completedFuture(entry);
		}
		if (!this.l2.isPresent()) {
			this.stats.misses.increment();
			return null;
		}
		Stamp stamp = this.reads.stampForFill(key);
		return this.l2.readAsync(key, null).thenApplyAsync((decoded) -> {
			Object served = (decoded != null && decoded != L2Tier.UNAVAILABLE)
					? this.reads.served(key, decoded, null, stamp, null) : null;
			if (served == null) {
				this.stats.misses.increment();
				return null;
			}
			return new SimpleValueWrapper(L2Reads.value(served));
		}, this.asyncExecutor);
	}

	/** See {@link TieredCache#retrieve(Object, Supplier, LoadOptions)}. */
	@SuppressWarnings("unchecked")
	<T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader, LoadOptions options) {
		L1Entry stale = null;
		L1Entry entry = this.l1.get(key);
		if (entry != null) {
			if (this.freshness.isQuiet(entry)) {
				this.stats.l1Hits.increment();
				return CompletableFuture.completedFuture((T) entry.get());
			}
			if (this.revalidation.servedWhileRefreshing(key, entry, null, valueLoader, options)) {
				return CompletableFuture.completedFuture((T) entry.get());
			}
			stale = entry;
		}
		Flight flight = new Flight(this.l1.digestOf(key), this.flights.ticket(key), false);
		flight.stale = stale;
		Flight running = this.flights.register(key, flight);
		if (running != null) {
			this.stats.misses.increment();
			return running.result
				.handle((value,
						ex) -> (ex == null) ? CompletableFuture.completedFuture((T) value) : Flight.isAbandoned(ex)
								? retrieve(key, valueLoader, options) : CompletableFuture.<T>failedFuture(ex))
				.thenCompose((future) -> future);
		}
		this.l2.readAsync(key, options.type())
			.thenComposeAsync((decoded) -> readOrLoad(key, decoded, valueLoader, options, flight), this.asyncExecutor)
			.whenComplete((value, ex) -> land(key, flight, value, ex, valueLoader, options));
		return flight.result.thenApply((value) -> (T) value);
	}

	/** The leader's value: what Redis holds, else what the loader's future yields. */
	private CompletableFuture<Object> readOrLoad(Object key, Decoded decoded,
			Supplier<? extends CompletableFuture<?>> valueLoader, LoadOptions options, Flight flight) {
		if (decoded == L2Tier.UNAVAILABLE) {
			flight.l2Unavailable = true;
		}
		else if (decoded != null) {
			Object served = this.reads.served(key, decoded, options.ttl(), flight, flight);
			if (served != null) {
				return CompletableFuture.completedFuture(L2Reads.value(served));
			}
		}
		this.stats.misses.increment();
		long start = System.nanoTime();
		return valueLoader.get().handleAsync((value, ex) -> {
			if (ex != null) {
				this.loads.failed(start);
				if (this.revalidation.servesStaleOnError(flight, ex)) {
					return flight.stale.get();
				}
				throw (ex instanceof CompletionException completion) ? completion : new CompletionException(ex);
			}
			this.loads.succeeded(start);
			this.loads.storeLoaded(key, value, options, flight);
			return (Object) value;
		}, this.asyncExecutor);
	}

	private void land(Object key, Flight flight, Object value, Throwable ex,
			Supplier<? extends CompletableFuture<?>> valueLoader, LoadOptions options) {
		this.flights.land(key, flight);
		if (ex != null) {
			flight.result.completeExceptionally(ex);
		}
		else {
			flight.result.complete(value);
		}
		if (flight.refreshAfter != null) {
			this.revalidation.refresh(key, null, flight.stale, null, valueLoader, options, flight.refreshAfter);
		}
	}

}
