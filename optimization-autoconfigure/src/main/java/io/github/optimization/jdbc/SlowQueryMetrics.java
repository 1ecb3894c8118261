package io.github.optimization.jdbc;

import java.time.Duration;

/**
 * Where slow statements are counted. The Micrometer implementation is
 * {@link SlowQueryMicrometerMetrics}; without Micrometer, slow statements are only
 * logged.
 */
@FunctionalInterface
public interface SlowQueryMetrics {

	/** Counts nothing. */
	SlowQueryMetrics NONE = (pool, elapsed) -> {
	};

	/**
	 * Count one slow execution.
	 * @param pool the name of the pool it ran on (a bounded tag, never the SQL text)
	 * @param elapsed how long it took
	 */
	void slow(String pool, Duration elapsed);

}
