package io.github.optimization.test;

import java.util.Arrays;

/**
 * Spring Boot's own auto-configurations that the tests start next to the starter's, as
 * the Boot line on the class path names them (Boot 4 moved most into per-technology
 * modules): the shared tests name them here, not by import.
 */
public final class BootAutoConfigurations {

	public static final Class<?> REDIS = either(
			"org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration");

	public static final Class<?> CACHE = either("org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
			"org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration");

	public static final Class<?> DATA_SOURCE = either(
			"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");

	public static final Class<?> JDBC_TEMPLATE = either(
			"org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration");

	public static final Class<?> DATA_SOURCE_TRANSACTION_MANAGER = either(
			"org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration");

	public static final Class<?> TRANSACTION = either(
			"org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration",
			"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration");

	public static final Class<?> METRICS = either(
			"org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration");

	public static final Class<?> COMPOSITE_METER_REGISTRY = either(
			"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration");

	public static final Class<?> SIMPLE_METRICS_EXPORT = either(
			"org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration");

	public static final Class<?> PROMETHEUS_METRICS_EXPORT = either(
			"org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration");

	public static final Class<?> CACHE_METRICS = either(
			"org.springframework.boot.actuate.autoconfigure.metrics.cache.CacheMetricsAutoConfiguration",
			"org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration");

	public static final Class<?> TASK_EXECUTION = either(
			"org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration");

	public static final Class<?> TASK_EXECUTOR_METRICS = either(
			"org.springframework.boot.actuate.autoconfigure.metrics.task.TaskExecutorMetricsAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration");

	public static final Class<?> DATA_SOURCE_POOL_METRICS = either(
			"org.springframework.boot.actuate.autoconfigure.metrics.jdbc.DataSourcePoolMetricsAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration");

	public static final Class<?> HEALTH_ENDPOINT = either(
			"org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration");

	/**
	 * Boot 4's registry of health contributors; Boot 3.5 has it in the health endpoint's.
	 */
	public static final Class<?> HEALTH_CONTRIBUTOR_REGISTRY = either(
			"org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration");

	public static final Class<?> HEALTH_CONTRIBUTOR = either(
			"org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration");

	public static final Class<?> AVAILABILITY_PROBES = either(
			"org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration");

	public static final Class<?> AVAILABILITY_HEALTH_CONTRIBUTOR = either(
			"org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration");

	private BootAutoConfigurations() {
	}

	/** The one of the classes that the Boot line on the class path has. */
	static Class<?> either(String... names) {
		for (String name : names) {
			try {
				return Class.forName(name, false, BootAutoConfigurations.class.getClassLoader());
			}
			catch (ClassNotFoundException ex) {
				// the other line's name
			}
		}
		throw new IllegalStateException("None of " + Arrays.toString(names) + " is on the class path");
	}

}
