package io.github.optimization.cache;

/**
 * Decides whether the shared level may be called, and learns from each call's outcome: a
 * circuit breaker in production (see {@code io.github.optimization.resilience}), or
 * {@link #NONE}. Implementations are thread-safe and never throw.
 */
public interface L2Guard {

	/** Always permits; learns nothing. */
	L2Guard NONE = new L2Guard() {
		@Override
		public boolean tryAcquire() {
			return true;
		}

		@Override
		public void release() {
		}

		@Override
		public void onSuccess(long nanos) {
		}

		@Override
		public void onError(long nanos, Throwable error) {
		}

		@Override
		public boolean isTimeout(Throwable error) {
			return false;
		}

		@Override
		public boolean isUnavailable(Throwable error) {
			return false;
		}

		@Override
		public String state() {
			return "NONE";
		}
	};

	/**
	 * Ask for permission to call the shared level.
	 * @return {@code false} when the call must not be made (the breaker is open)
	 */
	boolean tryAcquire();

	/**
	 * Give back a permission that was not used for a call (e.g. the value could not be
	 * encoded), so a half-open breaker does not lose a probe.
	 */
	void release();

	/**
	 * Report a permitted call that succeeded.
	 * @param nanos how long it took
	 */
	void onSuccess(long nanos);

	/**
	 * Report a permitted call that failed. Only failures that say the shared level is
	 * unreachable or slow (connection, timeout) count against it.
	 * @param nanos how long it took
	 * @param error what it threw
	 */
	void onError(long nanos, Throwable error);

	/**
	 * Whether a failure was a command timeout.
	 * @param error what a call threw
	 * @return whether it timed out
	 */
	boolean isTimeout(Throwable error);

	/**
	 * Whether a failure says the shared level is unreachable or slow (as opposed to a
	 * server error about one key).
	 * @param error what a call threw
	 * @return whether it is unavailable
	 */
	boolean isUnavailable(Throwable error);

	/**
	 * A short description of the guard's state for health details, e.g. {@code CLOSED}.
	 */
	String state();

}
