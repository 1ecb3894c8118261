package io.github.optimization.cache;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.github.optimization.cache.codec.RejectReason;

/**
 * Running counts of one tiered cache, kept with {@link LongAdder}s so recording costs no
 * meter lookup and no contention on the read path. Meter binders read them.
 *
 * <p>Thread-safe. All counts only grow.
 */
public final class TieredCacheStatistics {

	final LongAdder l1Hits = new LongAdder();

	final LongAdder l2Hits = new LongAdder();

	final LongAdder misses = new LongAdder();

	final LongAdder puts = new LongAdder();

	final LongAdder evictions = new LongAdder();

	final LongAdder loadSuccesses = new LongAdder();

	final LongAdder loadFailures = new LongAdder();

	final LongAdder loadSuccessNanos = new LongAdder();

	final LongAdder loadFailureNanos = new LongAdder();

	final LongAdder l2Requests = new LongAdder();

	final LongAdder l2Nanos = new LongAdder();

	final LongAdder l2Errors = new LongAdder();

	final LongAdder l2Timeouts = new LongAdder();

	final LongAdder l2Rejected = new LongAdder();

	final LongAdder staleServedRevalidating = new LongAdder();

	final LongAdder staleServedOnError = new LongAdder();

	private final Map<RejectReason, LongAdder> rejects = new EnumMap<>(RejectReason.class);

	private final Map<RefreshTrigger, LongAdder> refreshSuccesses = new EnumMap<>(RefreshTrigger.class);

	private final Map<RefreshTrigger, LongAdder> refreshFailures = new EnumMap<>(RefreshTrigger.class);

	TieredCacheStatistics() {
		for (RejectReason reason : RejectReason.values()) {
			this.rejects.put(reason, new LongAdder());
		}
		for (RefreshTrigger trigger : RefreshTrigger.values()) {
			this.refreshSuccesses.put(trigger, new LongAdder());
			this.refreshFailures.put(trigger, new LongAdder());
		}
	}

	void refreshed(RefreshTrigger trigger, boolean success) {
		(success ? this.refreshSuccesses : this.refreshFailures).get(trigger).increment();
	}

	void reject(RejectReason reason) {
		this.rejects.get(reason).increment();
	}

	/** Lookups answered by the in-process level. */
	public long l1Hits() {
		return this.l1Hits.sum();
	}

	/** Lookups answered by the shared level. */
	public long l2Hits() {
		return this.l2Hits.sum();
	}

	/** Lookups answered by neither level. */
	public long misses() {
		return this.misses.sum();
	}

	/** Values written to the cache. */
	public long puts() {
		return this.puts.sum();
	}

	/** Entries removed: explicit evictions and L1 size evictions. */
	public long evictions() {
		return this.evictions.sum();
	}

	/** Loader calls that returned. */
	public long loadSuccesses() {
		return this.loadSuccesses.sum();
	}

	/** Loader calls that threw. */
	public long loadFailures() {
		return this.loadFailures.sum();
	}

	/** Total time in loader calls that returned, in nanoseconds. */
	public long loadSuccessNanos() {
		return this.loadSuccessNanos.sum();
	}

	/** Total time in loader calls that threw, in nanoseconds. */
	public long loadFailureNanos() {
		return this.loadFailureNanos.sum();
	}

	/** Calls to the shared level, successful or not. */
	public long l2Requests() {
		return this.l2Requests.sum();
	}

	/** Total time in calls to the shared level, in nanoseconds. */
	public long l2Nanos() {
		return this.l2Nanos.sum();
	}

	/** Calls to the shared level that failed (connection, timeout, server error). */
	public long l2Errors() {
		return this.l2Errors.sum();
	}

	/** Calls to the shared level that timed out (a subset of {@link #l2Errors()}). */
	public long l2Timeouts() {
		return this.l2Timeouts.sum();
	}

	/** Calls to the shared level not made because the circuit breaker was open. */
	public long l2Rejected() {
		return this.l2Rejected.sum();
	}

	/**
	 * Values refused by the codec for a reason: bytes read from Redis that were treated as
	 * a miss, or values too large to write.
	 * @param reason the reason
	 * @return the count
	 */
	public long rejects(RejectReason reason) {
		return this.rejects.get(reason).sum();
	}

	/**
	 * Lookups with a loader answered at once with a stale value (within the
	 * stale-while-revalidate window) while a background refresh replaces it. Also counted as
	 * hits.
	 */
	public long staleServedWhileRevalidating() {
		return this.staleServedRevalidating.sum();
	}

	/**
	 * Lookups answered with a stale value (within the stale-if-error window) because the
	 * loader threw. The load is also counted as a miss and a failed load.
	 */
	public long staleServedOnError() {
		return this.staleServedOnError.sum();
	}

	/**
	 * Background refreshes that finished, by what started them: those that replaced the entry
	 * (with the loader's value, or with a fresher one another instance had written to Redis),
	 * or those that failed.
	 * @param trigger what started them
	 * @param success {@code true} for those that replaced the entry, {@code false} for failures
	 * @return the count
	 */
	public long refreshes(RefreshTrigger trigger, boolean success) {
		return (success ? this.refreshSuccesses : this.refreshFailures).get(trigger).sum();
	}

}
