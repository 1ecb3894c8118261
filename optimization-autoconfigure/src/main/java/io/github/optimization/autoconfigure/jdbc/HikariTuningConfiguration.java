package io.github.optimization.autoconfigure.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import io.github.optimization.InvalidSettingException;
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
 * timeout, keepalive, max lifetime and leak detection of
 * {@code optimization.jdbc.pool.*}. Any {@code spring.datasource.hikari.*} value the
 * application sets wins. A setting below HikariCP's limits fails startup naming the
 * property.</li>
 * <li>At startup, pools are warmed up (unless
 * {@code optimization.jdbc.pool.warm-up=false}) and checked against the database server
 * ({@link HikariPoolStartup}); a database that is down is logged once and does not stop
 * the application.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class HikariTuningConfiguration {

	private static final String HIKARI_PREFIX = "spring.datasource.hikari";

	private static final String POOL = "optimization.jdbc.pool.";

	@Bean
	@ConditionalOnProperty(prefix = "optimization.jdbc.pool", name = "tune", matchIfMissing = true)
	static HikariTuningPostProcessor hikariTuningPostProcessor(ObjectProvider<JdbcOptimizationProperties> properties,
			Environment environment) {
		return new HikariTuningPostProcessor(() -> new HikariPoolTuner(defaults(properties.getObject().getPool()),
				HikariExplicitSettings.of(environment, HIKARI_PREFIX)));
	}

	@Bean
	HikariPoolStartup hikariPoolStartup(ObjectProvider<DataSource> dataSources, JdbcOptimizationProperties properties) {
		JdbcOptimizationProperties.Pool pool = properties.getPool();
		if (pool.getExpectedInstances() < 1) {
			throw new InvalidSettingException(POOL + "expected-instances",
					"must be at least 1, was " + pool.getExpectedInstances());
		}
		return new HikariPoolStartup(() -> dataSources.orderedStream().toList(), pool.isWarmUp(),
				new DatabaseServerChecks(pool.getExpectedInstances()));
	}

	private static HikariPoolDefaults defaults(JdbcOptimizationProperties.Pool pool) {
		validate(pool);
		return new HikariPoolDefaults(Runtime.getRuntime().availableProcessors(), pool.getMinimumSize(),
				pool.getMaximumSize(), pool.getConnectionTimeout(), pool.getKeepaliveTime(), pool.getMaxLifetime(),
				pool.getLeakDetectionThreshold());
	}

	/**
	 * Checks the tuning settings against HikariCP's limits: below them HikariCP refuses a
	 * value or silently replaces it.
	 */
	private static void validate(JdbcOptimizationProperties.Pool pool) {
		if (pool.getMinimumSize() < 1) {
			throw new InvalidSettingException(POOL + "minimum-size",
					"must be at least 1, was " + pool.getMinimumSize());
		}
		if (pool.getMaximumSize() < pool.getMinimumSize()) {
			throw new InvalidSettingException(POOL + "maximum-size", "must be at least " + POOL + "minimum-size ("
					+ pool.getMinimumSize() + "), was " + pool.getMaximumSize());
		}
		atLeast("connection-timeout", pool.getConnectionTimeout(), Duration.ofMillis(250), null);
		atLeast("keepalive-time", pool.getKeepaliveTime(), Duration.ofSeconds(30), "off");
		atLeast("max-lifetime", pool.getMaxLifetime(), Duration.ofSeconds(30), "no limit");
		if (pool.getLeakDetectionThreshold() != null) {
			atLeast("leak-detection-threshold", pool.getLeakDetectionThreshold(), Duration.ofSeconds(2), "off");
		}
	}

	private static void atLeast(String property, Duration value, Duration floor, String zeroMeans) {
		boolean zeroAllowed = zeroMeans != null && value != null && value.isZero();
		if (!zeroAllowed && (value == null || value.compareTo(floor) < 0)) {
			throw new InvalidSettingException(POOL + property,
					"must be " + ((zeroMeans != null) ? "0 (" + zeroMeans + ") or " : "") + "at least "
							+ ((floor.toMillis() % 1000 == 0) ? floor.toSeconds() + "s" : floor.toMillis() + "ms")
							+ " (HikariCP's floor), was " + value);
		}
	}

}
