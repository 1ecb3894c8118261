package io.github.optimization.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;

/**
 * A datasource-proxy listener that finds statements slower than a threshold: each slow
 * execution is counted, and each slow statement text logged once. Fast executions cost
 * one comparison.
 */
class SlowQueryListener implements QueryExecutionListener {

	private final Duration threshold;

	private final long thresholdMillis;

	private final Supplier<String> pool;

	private final SlowQueryLog log;

	private final SlowQueryMetrics metrics;

	/**
	 * Create a listener.
	 * @param threshold executions taking longer than this are slow; must be positive
	 * @param pool the pool name to log and tag with, asked for at each slow execution (a
	 * HikariCP pool is named when it starts)
	 * @param log where slow statements are logged
	 * @param metrics where slow executions are counted
	 */
	public SlowQueryListener(Duration threshold, Supplier<String> pool, SlowQueryLog log, SlowQueryMetrics metrics) {
		if (threshold.isZero() || threshold.isNegative()) {
			throw new IllegalArgumentException("threshold must be positive, was " + threshold);
		}
		this.threshold = threshold;
		this.thresholdMillis = threshold.toMillis();
		this.pool = pool;
		this.log = log;
		this.metrics = metrics;
	}

	@Override
	public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
	}

	@Override
	public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
		long elapsedMillis = execution.getElapsedTime();
		if (elapsedMillis > this.thresholdMillis) {
			Duration elapsed = Duration.ofMillis(elapsedMillis);
			String poolName = this.pool.get();
			this.metrics.slow(poolName, elapsed);
			this.log.slow(poolName, elapsed, this.threshold, queries);
		}
	}

}
