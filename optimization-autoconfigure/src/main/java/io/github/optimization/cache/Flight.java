package io.github.optimization.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.springframework.cache.Cache.ValueRetrievalException;

/**
 * One load of one key in this JVM. The first caller for a cold key becomes the leader and
 * loads; the others wait for its result or its failure (the same failure reaches every
 * waiter and nothing is cached). An eviction or put of the key while the load runs marks
 * the flight invalidated, and the leader then does not install what it loaded.
 */
final class Flight {

	final CompletableFuture<Object> result = new CompletableFuture<>();

	volatile boolean invalidated;

	/** The key's digest when the cache tracks keys for invalidations, else {@code null}. */
	final String digest;

	private final Thread leader = Thread.currentThread();

	Flight(String digest) {
		this.digest = digest;
	}

	Object await(Object key, Callable<?> loader) {
		if (this.leader == Thread.currentThread()) {
			throw new IllegalStateException("Recursive load of cache key " + key
					+ ": the loader asked the same cache for the same key");
		}
		try {
			return this.result.get();
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new ValueRetrievalException(key, loader, cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ValueRetrievalException(key, loader, ex);
		}
	}

}
