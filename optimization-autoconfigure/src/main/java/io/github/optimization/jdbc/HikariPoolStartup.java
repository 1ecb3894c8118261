package io.github.optimization.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Warms up every HikariCP pool of the application and checks it against its database,
 * once, when the application context starts.
 *
 * <p>
 * Runs as a {@link SmartLifecycle} in an early {@link #PHASE phase}: after every bean
 * exists (Spring Boot's pool meters are bound by then) and before the web server and
 * message listeners start, so the application does not take traffic with an empty pool.
 *
 * <p>
 * <b>Warm-up</b> borrows the pool's {@code minimumIdle} connections one after another and
 * returns them, so the pool holds them idle. Each borrow is bounded by the pool's
 * {@code connectionTimeout}; warm-up stops at the first failure.
 *
 * <p>
 * <b>A database that is down</b> at startup gives one WARN line naming the database
 * (product, host, port, database; never credentials) and startup <em>continues</em>: the
 * pool keeps connecting and calls fail after {@code connectionTimeout} until the database
 * is reachable. The checks are then skipped.
 *
 * <p>
 * <b>Checks</b> ({@link DatabaseServerChecks}) run on one pooled connection after
 * warm-up. Each finding is a WARN line; a failure of the checks themselves is logged at
 * DEBUG and never fails startup.
 */
public class HikariPoolStartup implements SmartLifecycle {

	/**
	 * The lifecycle phase: early, so pools are warm before the lifecycles of the default
	 * phase (message listeners, schedulers) and the web server start.
	 */
	public static final int PHASE = Integer.MIN_VALUE / 2;

	private static final Log logger = LogFactory.getLog(HikariPoolStartup.class);

	private final Supplier<List<DataSource>> dataSources;

	private final boolean warmUp;

	private final DatabaseServerChecks checks;

	private volatile boolean started;

	private volatile boolean running;

	/**
	 * Creates the startup step.
	 * @param dataSources supplies the application's data sources; those that are (or
	 * wrap) a {@link HikariDataSource} are handled
	 * @param warmUp whether to open the pools' minimum idle connections
	 * @param checks the checks to run, or {@code null} for none
	 */
	public HikariPoolStartup(Supplier<List<DataSource>> dataSources, boolean warmUp, DatabaseServerChecks checks) {
		Assert.notNull(dataSources, "dataSources must not be null");
		this.dataSources = dataSources;
		this.warmUp = warmUp;
		this.checks = checks;
	}

	@Override
	public void start() {
		if (!this.started) {
			this.started = true;
			for (HikariDataSource pool : pools()) {
				startPool(pool);
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private List<HikariDataSource> pools() {
		Set<HikariDataSource> pools = Collections.newSetFromMap(new IdentityHashMap<>());
		List<HikariDataSource> ordered = new ArrayList<>();
		for (DataSource dataSource : this.dataSources.get()) {
			HikariDataSource pool = DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class,
					HikariDataSource.class);
			if (pool != null && !pool.isClosed() && pools.add(pool)) {
				ordered.add(pool);
			}
		}
		return ordered;
	}

	private void startPool(HikariDataSource pool) {
		if (this.warmUp && !warmUp(pool)) {
			return;
		}
		if (this.checks != null) {
			check(pool);
		}
	}

	/**
	 * Opens the pool's minimum idle connections.
	 * @return whether the database was reachable
	 */
	private boolean warmUp(HikariDataSource pool) {
		List<Connection> held = new ArrayList<>();
		try {
			held.add(pool.getConnection());
			// The pool has started: minimumIdle is now its validated value.
			int target = pool.getMinimumIdle();
			while (held.size() < target) {
				held.add(pool.getConnection());
			}
			logger.debug("HikariCP pool '" + pool.getPoolName() + "' warmed up: " + held.size() + " connections");
			return true;
		}
		catch (SQLException ex) {
			if (held.isEmpty()) {
				logUnreachable(pool, ex);
				return false;
			}
			logger.warn("HikariCP pool '" + pool.getPoolName() + "' warm-up opened " + held.size() + " of "
					+ pool.getMinimumIdle() + " connections (minimumIdle): "
					+ DatabaseUrls.redact(rootMessage(ex), pool.getPassword()));
			return true;
		}
		finally {
			for (Connection connection : held) {
				closeQuietly(connection);
			}
		}
	}

	private void check(HikariDataSource pool) {
		int queryTimeoutSeconds = (int) Math.max(1, (pool.getConnectionTimeout() + 999) / 1000);
		Connection connection;
		try {
			connection = pool.getConnection();
		}
		catch (SQLException ex) {
			if (this.warmUp) {
				logger.debug("Startup checks of HikariCP pool '" + pool.getPoolName() + "' skipped", ex);
			}
			else {
				logUnreachable(pool, ex);
			}
			return;
		}
		try {
			for (String finding : this.checks.check(pool, connection, queryTimeoutSeconds)) {
				logger.warn(finding);
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("Startup checks of HikariCP pool '" + pool.getPoolName() + "' failed", ex);
		}
		finally {
			closeQuietly(connection);
		}
	}

	private void logUnreachable(HikariDataSource pool, SQLException ex) {
		String reason = DatabaseUrls.redact(rootMessage(ex), pool.getPassword());
		logger.warn("Database " + DatabaseUrls.describe(pool.getJdbcUrl())
				+ " is not reachable at startup (HikariCP pool '" + HikariPoolTuner.poolName(pool, "?") + "'): "
				+ reason
				+ ". The application starts anyway; the pool keeps trying, and calls fail after connectionTimeout "
				+ pool.getConnectionTimeout() + "ms until the database is reachable");
		logger.debug("Connection failure at startup", ex);
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getName();
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			logger.debug("Could not return a connection to its pool", ex);
		}
	}

}
