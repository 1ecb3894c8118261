package io.github.optimization.cache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs problems of the shared level at most once per interval: an outage must not flood
 * the log with one line per call. What is not logged is still counted by the statistics.
 * Thread-safe.
 */
final class OutageLog {

	private static final Log logger = LogFactory.getLog(TieredCache.class);

	private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());

	void warn(String message, Throwable cause) {
		long now = System.nanoTime();
		long next = this.nextLogNanos.get();
		if (now - next >= 0 && this.nextLogNanos.compareAndSet(next, now + INTERVAL_NANOS)) {
			String reason = (cause != null) ? ": " + cause.getClass().getName() + ": " + cause.getMessage() : "";
			logger.warn(message + reason + " (repeats within a minute are counted in the metrics, not logged)");
			if (logger.isDebugEnabled() && cause != null) {
				logger.debug("Cause of the above", cause);
			}
		}
	}

}
