package io.github.optimization.cache;

/**
 * Why every in-process entry of the tiered caches was dropped. Each reason is a moment at
 * which invalidation messages may have been lost, so local copies can no longer be trusted.
 */
public enum FlushReason {

	/** The invalidation subscription dropped (connection lost). */
	DISCONNECT,

	/** The invalidation subscription was established again after a drop. */
	RESUBSCRIBE,

	/** Redis restarted or failed over: its {@code run_id} changed, its data may be gone. */
	RUN_ID,

	/** The subscription stopped answering PING although its socket looked alive. */
	WATCHDOG,

	/** Messages arrived faster than they could be applied and some were dropped. */
	OVERFLOW,

	/** Another instance asked for it, after it could not publish its own changes. */
	PEER;

	/** Lowercase tag value, e.g. {@code run-id}. */
	public String tagValue() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
