package io.github.optimization.cache.redis;

import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.optimization.cache.FlushReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Detects a restart of Redis by a change of its {@code run_id}: what Redis held may be
 * gone or older, and invalidations may have been lost, so everything is flushed (counted
 * as {@code RUN_ID}). Stops asking when INFO is not permitted; a restart is then still
 * detected through the dropped subscription. Runs on the watchdog's thread only.
 */
final class RunIdWatch {

	// Logs under the bus's name, where the documentation shows its lines.
	private static final Log logger = LogFactory.getLog(RedisInvalidationBus.class);

	private final Supplier<String> runIdSource;

	private final Consumer<FlushReason> flush;

	private volatile String lastRunId;

	private volatile boolean runIdAvailable = true;

	/**
	 * Create a watch.
	 * @param runIdSource reads Redis's {@code run_id}, or returns {@code null} when it
	 * cannot
	 * @param flush flushes every in-process entry
	 */
	RunIdWatch(Supplier<String> runIdSource, Consumer<FlushReason> flush) {
		this.runIdSource = runIdSource;
		this.flush = flush;
	}

	/** Read the run id and flush if it changed. */
	void check() {
		if (!this.runIdAvailable) {
			return;
		}
		String runId;
		try {
			runId = this.runIdSource.get();
		}
		catch (RuntimeException ex) {
			if (String.valueOf(ex.getMessage()).contains("NOPERM") || hasCauseMessage(ex, "NOPERM")) {
				this.runIdAvailable = false;
				logger.info("Redis's run_id cannot be read (INFO is not permitted for this user); a restart of Redis "
						+ "is still detected through the dropped subscription");
			}
			return;
		}
		if (runId == null) {
			return;
		}
		String previous = this.lastRunId;
		this.lastRunId = runId;
		if (previous != null && !previous.equals(runId)) {
			this.flush.accept(FlushReason.RUN_ID);
		}
	}

	private static boolean hasCauseMessage(Throwable ex, String text) {
		for (Throwable t = ex; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t.getMessage() != null && t.getMessage().contains(text)) {
				return true;
			}
		}
		return false;
	}

}
