package io.github.optimization.cache;

/**
 * Why every in-process entry of the tiered caches was dropped. Each reason is a moment at
 * which invalidation messages may have been lost, so local copies can no longer be
 * trusted.
 */
public enum FlushReason {

	/** The invalidation subscription dropped (connection lost). */
	DISCONNECT,

	/** The invalidation subscription was established again after a drop. */
	RESUBSCRIBE,

	/**
	 * Redis restarted or failed over: its {@code run_id} changed, its data may be gone.
	 */
	RUN_ID,

	/** The subscription stopped answering PING although its socket looked alive. */
	WATCHDOG,

	/** Messages arrived faster than they could be applied and some were dropped. */
	OVERFLOW,

	/** Another instance asked for it, after it could not publish its own changes. */
	PEER;

	/**
	 * Whether, at this moment, Redis is likely to answer and a lost message may have
	 * announced a change that raced a recent write-back, so recent write-backs are
	 * undone. Not when the subscription just dropped (Redis is likely unreachable; the
	 * resubscription that follows undoes them) nor when Redis restarted (its data is
	 * gone).
	 * @return whether to undo recent write-backs
	 */
	public boolean undoesRecentWriteBacks() {
		return this != DISCONNECT && this != RUN_ID;
	}

	/** Lowercase tag value, e.g. {@code run-id}. */
	public String tagValue() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
