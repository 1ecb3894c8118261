package io.github.optimization.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * Adjusts a {@link HikariDataSource} that has not started yet to
 * {@link HikariPoolDefaults}.
 *
 * <p>
 * A setting is left alone when the application chose it: when
 * {@link HikariExplicitSettings} reports it (for Spring Boot's pool, any
 * {@code spring.datasource.hikari.*} value), or when its value already differs from
 * HikariCP's own default (a pool built in code). What changed is logged once at INFO,
 * under the pool's name: a pool without one is given the name HikariCP would give it when
 * it starts ({@code HikariPool-1}, ...), so the line names the pool as HikariCP's meters
 * and logs and the slow-query log do.
 *
 * <p>
 * Besides the values of {@link HikariPoolDefaults}, the tuner sets
 * {@code initializationFailTimeout} to {@code -1} unless the application set it: the pool
 * then starts while the database is down and keeps connecting in the background, and
 * callers get HikariCP's {@code SQLTransientConnectionException} after
 * {@code connectionTimeout} until the database is back, instead of a failed pool start
 * (and a stack trace) on each call.
 */
public class HikariPoolTuner {

	private static final Log logger = LogFactory.getLog(HikariPoolTuner.class);

	private static final String POOL_NUMBER = "com.zaxxer.hikari.pool_number";

	private final HikariPoolDefaults defaults;

	private final HikariExplicitSettings explicit;

	private final HikariConfig hikariDefaults = new HikariConfig();

	/**
	 * Creates a tuner.
	 * @param defaults the values to apply
	 * @param explicit the settings the application chose, which are never changed
	 */
	public HikariPoolTuner(HikariPoolDefaults defaults, HikariExplicitSettings explicit) {
		Assert.notNull(defaults, "defaults must not be null");
		Assert.notNull(explicit, "explicit must not be null");
		this.defaults = defaults;
		this.explicit = explicit;
	}

	/**
	 * Adjusts a pool that has not started. A running pool is left alone (HikariCP refuses
	 * most changes once started).
	 * @param dataSource the pool
	 * @param name a name for the log lines when the pool has no name and cannot be given
	 * one, such as the bean name
	 * @return what was changed, one entry per setting, empty when nothing was
	 */
	public List<String> tune(HikariDataSource dataSource, String name) {
		if (dataSource.isRunning() || dataSource.isClosed()) {
			logger.debug("HikariCP pool '" + poolName(dataSource, name) + "' already started, not tuned");
			return List.of();
		}
		nameIfUnnamed(dataSource);
		List<String> changes = new ArrayList<>();
		List<String> kept = new ArrayList<>();
		tuneSizing(dataSource, changes, kept);
		tuneLifetimes(dataSource, changes, kept);
		tuneChecks(dataSource, changes, kept);
		if (!changes.isEmpty() && logger.isInfoEnabled()) {
			logger.info("HikariCP pool '" + poolName(dataSource, name) + "' tuned: " + String.join(", ", changes)
					+ (kept.isEmpty() ? "" : "; kept as configured: " + String.join(", ", kept)));
		}
		return changes;
	}

	private void tuneSizing(HikariDataSource dataSource, List<String> changes, List<String> kept) {
		if (isDefault("maximum-pool-size", dataSource.getMaximumPoolSize(), this.hikariDefaults.getMaximumPoolSize())) {
			int size = this.defaults.poolSize();
			dataSource.setMaximumPoolSize(size);
			changes.add("maximumPoolSize " + size + " (machine: " + this.defaults.getAvailableProcessors()
					+ " cores, cores * 2 + 1 within [" + this.defaults.getMinimumSize() + ", "
					+ this.defaults.getMaximumSize() + "])");
		}
		else {
			kept.add("maximumPoolSize " + dataSource.getMaximumPoolSize());
		}
		long connectionTimeout = this.defaults.getConnectionTimeout().toMillis();
		if (isDefault("connection-timeout", dataSource.getConnectionTimeout(),
				this.hikariDefaults.getConnectionTimeout())) {
			dataSource.setConnectionTimeout(connectionTimeout);
			changes.add("connectionTimeout " + dataSource.getConnectionTimeout() + "ms");
		}
		else {
			kept.add("connectionTimeout " + dataSource.getConnectionTimeout() + "ms");
		}
	}

	private void tuneLifetimes(HikariDataSource dataSource, List<String> changes, List<String> kept) {
		if (isDefault("max-lifetime", dataSource.getMaxLifetime(), this.hikariDefaults.getMaxLifetime())) {
			dataSource.setMaxLifetime(this.defaults.getMaxLifetime().toMillis());
			changes.add("maxLifetime " + dataSource.getMaxLifetime() + "ms");
		}
		else {
			kept.add("maxLifetime " + dataSource.getMaxLifetime() + "ms");
		}
		long keepalive = this.defaults.getKeepaliveTime().toMillis();
		if (isDefault("keepalive-time", dataSource.getKeepaliveTime(), this.hikariDefaults.getKeepaliveTime())) {
			// HikariCP disables a keepalive that is not below maxLifetime, with a
			// warning.
			if (dataSource.getMaxLifetime() == 0 || keepalive < dataSource.getMaxLifetime()) {
				if (keepalive != dataSource.getKeepaliveTime()) {
					dataSource.setKeepaliveTime(keepalive);
					changes.add("keepaliveTime " + keepalive + "ms");
				}
			}
		}
		else {
			kept.add("keepaliveTime " + dataSource.getKeepaliveTime() + "ms");
		}
	}

	private void tuneChecks(HikariDataSource dataSource, List<String> changes, List<String> kept) {
		Duration leakDetection = this.defaults.getLeakDetectionThreshold();
		if (isDefault("leak-detection-threshold", dataSource.getLeakDetectionThreshold(),
				this.hikariDefaults.getLeakDetectionThreshold())) {
			if (leakDetection != null) {
				dataSource.setLeakDetectionThreshold(leakDetection.toMillis());
				changes.add("leakDetectionThreshold " + leakDetection.toMillis() + "ms");
			}
		}
		else {
			kept.add("leakDetectionThreshold " + dataSource.getLeakDetectionThreshold() + "ms");
		}
		if (isDefault("initialization-fail-timeout", dataSource.getInitializationFailTimeout(),
				this.hikariDefaults.getInitializationFailTimeout())) {
			dataSource.setInitializationFailTimeout(-1);
			changes.add("initializationFailTimeout -1 (starts while the database is down)");
		}
	}

	private boolean isDefault(String property, long value, long hikariDefault) {
		return value == hikariDefault && !this.explicit.isSet(property);
	}

	static String poolName(HikariDataSource dataSource, String fallback) {
		return (dataSource.getPoolName() != null) ? dataSource.getPoolName() : fallback;
	}

	/**
	 * Gives a pool without a name the one HikariCP would give it when it starts. The
	 * number comes from HikariCP's own counter, a system property updated under the lock
	 * HikariCP uses (HikariConfig.generatePoolName in HikariCP 5 to 7), so pools that
	 * HikariCP names itself never get the same number.
	 */
	private static void nameIfUnnamed(HikariDataSource dataSource) {
		if (dataSource.getPoolName() != null) {
			return;
		}
		try {
			synchronized (System.getProperties()) {
				int next = Integer.getInteger(POOL_NUMBER, 0) + 1;
				System.setProperty(POOL_NUMBER, String.valueOf(next));
				dataSource.setPoolName("HikariPool-" + next);
			}
		}
		catch (SecurityException ex) {
			logger.debug("Could not name the HikariCP pool before it starts", ex);
		}
	}

}
