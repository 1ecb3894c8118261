package io.github.optimization.jdbc;

import java.time.Duration;

import io.github.optimization.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts slow executions in {@value MeterNames#JDBC_SLOW_QUERIES}, tagged with the pool
 * name only. The registry is looked up at the first slow execution, so wrapping a
 * {@code DataSource} never forces the registry to be created early.
 */
public class SlowQueryMicrometerMetrics implements SlowQueryMetrics {

	private final ObjectProvider<MeterRegistry> registry;

	/**
	 * Create an instance counting in the given registry.
	 * @param registry the registry, looked up on first use; no unique one means no
	 * counting
	 */
	public SlowQueryMicrometerMetrics(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void slow(String pool, Duration elapsed) {
		MeterRegistry meters = this.registry.getIfUnique();
		if (meters != null) {
			Counter.builder(MeterNames.JDBC_SLOW_QUERIES)
				.description("Statements slower than optimization.jdbc.slow-query-threshold")
				.tag("pool", pool)
				.register(meters)
				.increment();
		}
	}

}
