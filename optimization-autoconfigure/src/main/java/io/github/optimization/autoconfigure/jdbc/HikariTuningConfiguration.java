package io.github.optimization.autoconfigure.jdbc;

import javax.sql.DataSource;

import io.github.optimization.jdbc.DatabaseServerChecks;
import io.github.optimization.jdbc.HikariExplicitSettings;
import io.github.optimization.jdbc.HikariPoolDefaults;
import io.github.optimization.jdbc.HikariPoolStartup;
import io.github.optimization.jdbc.HikariPoolTuner;
import io.github.optimization.jdbc.HikariTuningPostProcessor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * HikariCP pools tuned to the machine and checked against the database.
 *
 * <ul>
 * <li>Every {@code HikariDataSource} bean is adjusted before it starts
 * ({@link HikariTuningPostProcessor}) unless {@code optimization.jdbc.pool.tune=false}:
 * pool size {@code availableProcessors * 2 + 1} clamped to
 * {@code optimization.jdbc.pool.minimum-size}..{@code maximum-size}, plus the connection
 * timeout, keepalive, max lifetime and leak detection of {@code optimization.jdbc.pool.*}.
 * Any {@code spring.datasource.hikari.*} value the application sets wins.</li>
 * <li>At startup, pools are warmed up (unless {@code optimization.jdbc.pool.warm-up=false})
 * and checked against the database server ({@link HikariPoolStartup}); a database that is
 * down is logged once and does not stop the application.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class HikariTuningConfiguration {

	private static final String HIKARI_PREFIX = "spring.datasource.hikari";

	@Bean
	@ConditionalOnProperty(prefix = "optimization.jdbc.pool", name = "tune", matchIfMissing = true)
	static HikariTuningPostProcessor hikariTuningPostProcessor(ObjectProvider<JdbcOptimizationProperties> properties,
			Environment environment) {
		return new HikariTuningPostProcessor(() -> new HikariPoolTuner(defaults(properties.getObject().getPool()),
				HikariExplicitSettings.of(environment, HIKARI_PREFIX)));
	}

	@Bean
	HikariPoolStartup hikariPoolStartup(ObjectProvider<DataSource> dataSources,
			JdbcOptimizationProperties properties) {
		JdbcOptimizationProperties.Pool pool = properties.getPool();
		return new HikariPoolStartup(() -> dataSources.orderedStream().toList(), pool.isWarmUp(),
				new DatabaseServerChecks(pool.getExpectedInstances()));
	}

	private static HikariPoolDefaults defaults(JdbcOptimizationProperties.Pool pool) {
		return new HikariPoolDefaults(Runtime.getRuntime().availableProcessors(), pool.getMinimumSize(),
				pool.getMaximumSize(), pool.getConnectionTimeout(), pool.getKeepaliveTime(), pool.getMaxLifetime(),
				pool.getLeakDetectionThreshold());
	}

}
