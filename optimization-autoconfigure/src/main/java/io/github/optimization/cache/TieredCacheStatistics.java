package io.github.optimization.cache;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.github.optimization.cache.codec.RejectReason;

/**
 * Running counts of one tiered cache, kept with {@link LongAdder}s so recording costs no
 * meter lookup and no contention on the read path. Meter binders read them.
 *
 * <p>
 * Thread-safe. All counts only grow.
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

	final LongAdder writeBacksUndone = new LongAdder();

	private final Map<RejectReason, LongAdder> rejects = new EnumMap<>(RejectReason.class);

	private final Map<RefreshTrigger, LongAdder> refreshSuccesses = new EnumMap<>(RefreshTrigger.class);

	private final Map<RefreshTrigger, LongAdder> refreshFailures = new EnumMap<>(RefreshTrigger.class);

	private final Map<LockAttempt, LongAdder> lockAttempts = adders(LockAttempt.class);

	private final Map<LockWait, LongAdder> lockWaits = adders(LockWait.class);

	private final Map<LockWait, LongAdder> lockWaitNanos = adders(LockWait.class);

	private final Map<LockRelease, LongAdder> lockReleases = adders(LockRelease.class);

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

	private static <E extends Enum<E>> Map<E, LongAdder> adders(Class<E> type) {
		Map<E, LongAdder> adders = new EnumMap<>(type);
		for (E value : type.getEnumConstants()) {
			adders.put(value, new LongAdder());
		}
		return adders;
	}

	void reject(RejectReason reason) {
		this.rejects.get(reason).increment();
	}

	void lockAttempt(LockAttempt result) {
		this.lockAttempts.get(result).increment();
	}

	void lockWait(LockWait result, long nanos) {
		this.lockWaits.get(result).increment();
		this.lockWaitNanos.get(result).add(nanos);
	}

	void lockRelease(LockRelease result) {
		this.lockReleases.get(result).increment();
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
	 * Values refused by the codec for a reason: bytes read from Redis that were treated
	 * as a miss, or values too large to write.
	 * @param reason the reason
	 * @return the count
	 */
	public long rejects(RejectReason reason) {
		return this.rejects.get(reason).sum();
	}

	/**
	 * Lookups with a loader answered at once with a stale value (within the
	 * stale-while-revalidate window) while a background refresh replaces it. Also counted
	 * as hits.
	 */
	public long staleServedWhileRevalidating() {
		return this.staleServedRevalidating.sum();
	}

	/**
	 * Loaded values this instance wrote back to Redis and deleted again, because the
	 * write landed after another instance's change of the key (see
	 * {@code RecentWriteBacks}).
	 */
	public long writeBacksUndone() {
		return this.writeBacksUndone.sum();
	}

	/**
	 * Lookups answered with a stale value (within the stale-if-error window) because the
	 * loader threw. The load is also counted as a miss and a failed load.
	 */
	public long staleServedOnError() {
		return this.staleServedOnError.sum();
	}

	/**
	 * Background refreshes that finished, by what started them: those that replaced the
	 * entry (with the loader's value, or with a fresher one another instance had written
	 * to Redis), or those that failed.
	 * @param trigger what started them
	 * @param success {@code true} for those that replaced the entry, {@code false} for
	 * failures
	 * @return the count
	 */
	public long refreshes(RefreshTrigger trigger, boolean success) {
		return (success ? this.refreshSuccesses : this.refreshFailures).get(trigger).sum();
	}

	/**
	 * Attempts to take a cluster-wide load lock, by result.
	 * @param result the result
	 * @return the count
	 */
	public long lockAttempts(LockAttempt result) {
		return this.lockAttempts.get(result).sum();
	}

	/**
	 * Waits for another instance's load of a key, by how they ended.
	 * @param result how they ended
	 * @return the count
	 */
	public long lockWaits(LockWait result) {
		return this.lockWaits.get(result).sum();
	}

	/**
	 * Total time of the waits for another instance's load that ended a given way, in
	 * nanoseconds.
	 * @param result how they ended
	 * @return the total
	 */
	public long lockWaitNanos(LockWait result) {
		return this.lockWaitNanos.get(result).sum();
	}

	/**
	 * Releases of cluster-wide load locks, by result.
	 * @param result the result
	 * @return the count
	 */
	public long lockReleases(LockRelease result) {
		return this.lockReleases.get(result).sum();
	}

	/** The result of an attempt to take a cluster-wide load lock ({@code SET NX PX}). */
	public enum LockAttempt {

		/** Taken: this instance loads the key. */
		ACQUIRED("acquired"),

		/** Held by another instance: this one waits for its result. */
		BUSY("busy"),

		/** Redis could not be asked or failed: this instance loads without the lock. */
		UNAVAILABLE("unavailable");

		private final String tagValue;

		LockAttempt(String tagValue) {
			this.tagValue = tagValue;
		}

		/** The value of the {@code result} tag. */
		public String tagValue() {
			return this.tagValue;
		}

	}

	/** How a wait for another instance's load of a key ended. */
	public enum LockWait {

		/** The holder's value appeared in Redis and was returned. */
		VALUE("value"),

		/** The lock went away without a value (holder failed or crashed): taken over. */
		TAKEOVER("takeover"),

		/**
		 * The load-wait timeout passed (or the thread was interrupted): loaded itself.
		 */
		TIMEOUT("timeout"),

		/** Redis became unusable while waiting: loaded itself at once. */
		UNAVAILABLE("unavailable"),

		/** The key was written, evicted or cleared while waiting: loaded itself. */
		CHANGED("changed");

		private final String tagValue;

		LockWait(String tagValue) {
			this.tagValue = tagValue;
		}

		/** The value of the {@code result} tag. */
		public String tagValue() {
			return this.tagValue;
		}

	}

	/** The result of releasing a cluster-wide load lock (a compare-and-delete). */
	public enum LockRelease {

		/** Deleted: it still held this instance's token. */
		RELEASED("released"),

		/**
		 * It no longer held the token: it expired during the load (raise the lock TTL).
		 */
		EXPIRED("expired"),

		/** Redis could not be asked or failed: the lock expires after its TTL. */
		FAILED("failed");

		private final String tagValue;

		LockRelease(String tagValue) {
			this.tagValue = tagValue;
		}

		/** The value of the {@code result} tag. */
		public String tagValue() {
			return this.tagValue;
		}

	}

}
