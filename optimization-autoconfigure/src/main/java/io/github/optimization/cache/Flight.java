package io.github.optimization.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.cache.Cache.ValueRetrievalException;

/**
 * One load (or L2 read) of one key in this JVM. The first caller for a cold key becomes
 * the leader and loads; the others wait for its result or its failure (the same failure
 * reaches every waiter and nothing is cached). A change of the key while the load runs (a
 * local put or eviction, a clear, or another instance's invalidation) makes the flight
 * stale: the leader then installs nothing, and callers arriving later start a fresh load.
 *
 * <p>
 * A background refresh (stale-while-revalidate, refresh-ahead) is a flight too, with no
 * leading caller: so there is at most one load of a key at a time, whatever started it.
 */
final class Flight implements Stamp {

	final CompletableFuture<Object> result = new CompletableFuture<>();

	/** Set when the key was changed or evicted while this flight ran. */
	volatile boolean invalidated;

	/**
	 * Set when Redis could not be read for this flight: the loaded value is not written
	 * back.
	 */
	volatile boolean l2Unavailable;

	/**
	 * The key's digest when the cache tracks keys for invalidations, else {@code null}.
	 */
	final String digest;

	/**
	 * A stale entry (in a cache with stale-while-revalidate or stale-if-error) to return
	 * in place of a loader failure while it is within the stale-if-error window; else
	 * {@code null}.
	 */
	volatile L1Entry stale;

	/**
	 * Set when this flight's read of Redis returned a stale or nearly expired value: the
	 * leader starts a background refresh once the flight is over.
	 */
	volatile RefreshTrigger refreshAfter;

	final Versions.Ticket ticket;

	/** Set for a background refresh: a flight no caller leads. */
	volatile boolean background;

	/**
	 * When the leader started waiting for another instance's load (cluster single
	 * flight), else 0: callers waiting for the leader may then wait for that wait and the
	 * leader's own load after it.
	 */
	private volatile long clusterWaitSince;

	/**
	 * The thread running a synchronous loader, to detect recursive loads; null for async.
	 */
	private final Thread leader;

	Flight(String digest, Versions.Ticket ticket, boolean synchronous) {
		this.digest = digest;
		this.ticket = ticket;
		this.leader = synchronous ? Thread.currentThread() : null;
	}

	/**
	 * Set once the flight is in the cache's flight map and the epoch was still that of
	 * its ticket: from then on clears and invalidations from other instances reach it by
	 * name (they mark the flights they concern), so an invalidation of another key, which
	 * bumps the epoch, no longer stales it.
	 */
	private volatile boolean registered;

	/**
	 * Called right after the flight was put in the cache's flight map: a clear or an
	 * invalidation that came between taking the ticket and that moment could not find the
	 * flight, so it stales the flight here.
	 */
	void registered() {
		if (!this.ticket.isEpochValid()) {
			this.invalidated = true;
		}
		this.registered = true;
	}

	/**
	 * Whether nothing changed the key since the flight started. A registered flight is
	 * stale only by a change of its own key (its stripe, or a mark by name); an
	 * unregistered one by any clear or invalidation too.
	 */
	@Override
	public boolean isCurrent() {
		if (this.invalidated) {
			return false;
		}
		return this.registered ? this.ticket.isStripeValid() : this.ticket.isValid();
	}

	@Override
	public boolean yieldsToFresher() {
		return false;
	}

	/**
	 * Called by the leader when it starts waiting for another instance's load of the key.
	 */
	void waitingForCluster() {
		this.clusterWaitSince = System.nanoTime() | 1;
	}

	/**
	 * How much longer a caller whose wait timed out may wait for a leader that is waiting
	 * for another instance: until the leader's own wait (one load-wait timeout) and its
	 * own load after it (another) are over, so this instance's callers get one load
	 * rather than each starting one. In nanoseconds; 0 or less if the leader is not
	 * waiting for another instance.
	 */
	long extraWaitNanos(long waitNanos) {
		long since = this.clusterWaitSince;
		return (since == 0) ? 0 : since + 2 * waitNanos - System.nanoTime();
	}

	/**
	 * End a flight that will never produce a value (a refresh the executor refused or
	 * dropped): its waiters load themselves, as if they had timed out.
	 */
	void abandon() {
		this.result.completeExceptionally(new Abandoned());
	}

	/** Whether a failure of the flight's result means it was abandoned. */
	static boolean isAbandoned(Throwable failure) {
		Throwable cause = (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
				? failure.getCause() : failure;
		return cause instanceof Abandoned;
	}

	/** The failure of an abandoned flight; never reaches a caller. */
	static final class Abandoned extends RuntimeException {

		Abandoned() {
			super("flight abandoned", null, false, false);
		}

	}

	/**
	 * Wait for the leader.
	 * @param key the key (for messages)
	 * @param loader the waiter's loader (for messages)
	 * @param timeoutNanos how long to wait
	 * @return the leader's value
	 * @throws TimeoutException if the leader did not finish in time
	 */
	Object await(Object key, Callable<?> loader, long timeoutNanos) throws TimeoutException {
		if (this.leader == Thread.currentThread()) {
			throw new IllegalStateException(
					"Recursive load of cache key " + key + ": the loader asked the same cache for the same key");
		}
		try {
			return this.result.get(timeoutNanos, TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Abandoned) {
				throw new TimeoutException("abandoned");
			}
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
