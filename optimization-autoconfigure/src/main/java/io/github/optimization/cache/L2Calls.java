package io.github.optimization.cache;

/**
 * The bookkeeping of every call one cache makes to its shared level: asked of the
 * {@link L2Guard} first (a refusal is counted), then timed, counted and reported to the
 * guard; a failure is also logged at a bounded rate. Thread-safe.
 */
final class L2Calls {

	private final String cacheName;

	private final TieredCacheStatistics stats;

	private final OutageLog outageLog;

	private final L2Guard guard;

	L2Calls(String cacheName, TieredCacheStatistics stats, OutageLog outageLog, L2Guard guard) {
		this.cacheName = cacheName;
		this.stats = stats;
		this.outageLog = outageLog;
		this.guard = guard;
	}

	/** Whether the guard lets a call through; a refusal is counted. */
	boolean permitted() {
		if (this.guard.tryAcquire()) {
			return true;
		}
		this.stats.l2Rejected.increment();
		return false;
	}

	/** Give back a permit that was not used for a call. */
	void release() {
		this.guard.release();
	}

	/** Whether a failure means Redis could not be reached (rather than a bad entry). */
	boolean isUnavailable(Throwable failure) {
		return this.guard.isUnavailable(failure);
	}

	/**
	 * Run one permitted store call, timed and reported to the guard.
	 * @param operation what the call does, for the log
	 * @param call the call
	 * @param onFailure what a failed call returns
	 * @return what the call returned, or {@code onFailure}
	 */
	<T> T timed(String operation, StoreCall<T> call, T onFailure) {
		long start = System.nanoTime();
		T result;
		try {
			result = call.run();
		}
		catch (RuntimeException ex) {
			failed(start, operation, ex);
			return onFailure;
		}
		succeeded(start);
		return result;
	}

	void succeeded(long start) {
		long nanos = System.nanoTime() - start;
		this.stats.l2Requests.increment();
		this.stats.l2Nanos.add(nanos);
		this.guard.onSuccess(nanos);
	}

	void failed(long start, String operation, Throwable ex) {
		long nanos = System.nanoTime() - start;
		this.stats.l2Requests.increment();
		this.stats.l2Nanos.add(nanos);
		this.stats.l2Errors.increment();
		if (this.guard.isTimeout(ex)) {
			this.stats.l2Timeouts.increment();
		}
		this.guard.onError(nanos, ex);
		this.outageLog.warn("Cache '" + this.cacheName + "' could not " + operation
				+ " in Redis; serving from the in-process level and the loader", ex);
	}

	/** One call of the store. */
	@FunctionalInterface
	interface StoreCall<T> {

		T run();

	}

}
