package io.github.optimization.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.util.Assert;

/**
 * Compares a pool's settings with the limits of the database server it connects to. Only
 * PostgreSQL is checked; other databases give no findings.
 *
 * <ul>
 * <li>{@code maximumPoolSize * expectedInstances} above the connections a non-superuser
 * can open ({@code max_connections - superuser_reserved_connections -
 * reserved_connections}): at full load some instances get no connections.</li>
 * <li>{@code maxLifetime} (zero meaning unbounded) not below the session's non-zero
 * {@code idle_session_timeout}, while {@code keepaliveTime} does not keep idle
 * connections below it either: the server closes idle pooled connections and HikariCP may
 * hand them out before noticing.</li>
 * </ul>
 * {@code idle_in_transaction_session_timeout} is not compared: it ends sessions the
 * application holds in an open transaction, which HikariCP never retires, so no pool
 * setting changes it. Server values are read as the pool's user sees them, so per-role
 * and per-database settings count.
 */
public class DatabaseServerChecks {

	private static final String SETTINGS = "select name, setting from pg_settings where name in "
			+ "('max_connections', 'superuser_reserved_connections', 'reserved_connections', "
			+ "'idle_session_timeout')";

	private final int expectedInstances;

	/**
	 * Creates the checks.
	 * @param expectedInstances how many instances of the application share the database,
	 * at least 1
	 */
	public DatabaseServerChecks(int expectedInstances) {
		Assert.isTrue(expectedInstances >= 1, "optimization.jdbc.pool.expected-instances must be at least 1");
		this.expectedInstances = expectedInstances;
	}

	/**
	 * Checks a pool against the server behind one of its connections.
	 * @param pool the pool, started
	 * @param connection a connection of the pool
	 * @param queryTimeoutSeconds the longest a query of the checks may run
	 * @return one message per finding, each naming the property to change; empty when the
	 * database is not PostgreSQL
	 * @throws SQLException if the server could not be asked
	 */
	public List<String> check(HikariDataSource pool, Connection connection, int queryTimeoutSeconds)
			throws SQLException {
		if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
			return List.of();
		}
		Map<String, Long> settings = new HashMap<>();
		try (Statement statement = connection.createStatement()) {
			statement.setQueryTimeout(queryTimeoutSeconds);
			try (ResultSet rows = statement.executeQuery(SETTINGS)) {
				while (rows.next()) {
					settings.put(rows.getString(1), Long.parseLong(rows.getString(2)));
				}
			}
		}
		List<String> findings = new ArrayList<>();
		String name = "HikariCP pool '" + pool.getPoolName() + "'";
		long maxConnections = settings.getOrDefault("max_connections", 0L);
		long reserved = settings.getOrDefault("superuser_reserved_connections", 0L)
				+ settings.getOrDefault("reserved_connections", 0L);
		long usable = maxConnections - reserved;
		long wanted = (long) pool.getMaximumPoolSize() * this.expectedInstances;
		if (maxConnections > 0 && wanted > usable) {
			findings.add(name + ": maximumPoolSize " + pool.getMaximumPoolSize() + " x " + this.expectedInstances
					+ " expected instances (optimization.jdbc.pool.expected-instances) = " + wanted
					+ " connections, above the " + usable + " the server allows (max_connections " + maxConnections
					+ " - " + reserved + " reserved for superusers). Lower spring.datasource.hikari.maximum-pool-size "
					+ "(or optimization.jdbc.pool.maximum-size), correct optimization.jdbc.pool.expected-instances, "
					+ "or raise max_connections");
		}
		long idleSessionTimeout = settings.getOrDefault("idle_session_timeout", 0L);
		long maxLifetime = pool.getMaxLifetime();
		long keepalive = pool.getKeepaliveTime();
		if (idleSessionTimeout > 0 && (maxLifetime == 0 || maxLifetime >= idleSessionTimeout)
				&& (keepalive == 0 || keepalive >= idleSessionTimeout)) {
			findings.add(name + ": maxLifetime " + maxLifetime + "ms and keepaliveTime " + keepalive
					+ "ms are not below the server's idle_session_timeout " + idleSessionTimeout
					+ "ms, so the server may close idle pooled connections first. Lower "
					+ "spring.datasource.hikari.max-lifetime (or optimization.jdbc.pool.max-lifetime) below it, "
					+ "or spring.datasource.hikari.keepalive-time (or optimization.jdbc.pool.keepalive-time)");
		}
		return findings;
	}

}
