package io.github.optimization.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

/**
 * A {@link DataSource} that hands out connections of read replicas inside transactions
 * marked read-only and connections of the primary everywhere else.
 *
 * <p>
 * Contract:
 * <ul>
 * <li>a connection is taken from a replica only when
 * {@link TransactionSynchronizationManager#isCurrentTransactionReadOnly()} is
 * {@code true} at the time {@link #getConnection()} is called; every other request,
 * including any request outside a transaction, goes to the primary, so writes never reach
 * a replica;</li>
 * <li>replicas take turns (round-robin) among those currently available;</li>
 * <li>a replica whose {@code getConnection} throws an {@link SQLException} is skipped for
 * the retry interval, then tried again; the request moves on to the next available
 * replica and, when none is left, to the primary, without an error;</li>
 * <li>errors of the primary are never hidden.</li>
 * </ul>
 *
 * <p>
 * Transaction managers take their connection before the transaction's read-only flag is
 * published, so this data source must be used behind a
 * {@link LazyConnectionDataSourceProxy}, which fetches the real connection at the first
 * statement: {@link #lazy(DataSource, Map, Duration)} builds that pair.
 *
 * <p>
 * This data source is not a pool: it does not {@link #unwrap(Class) unwrap} to the
 * primary or to a replica, so pool metrics and health checks bound to each pool are not
 * counted twice.
 *
 * @see LazyConnectionDataSourceProxy
 */
public class ReplicaRoutingDataSource extends AbstractDataSource {

	private static final Log logger = LogFactory.getLog(ReplicaRoutingDataSource.class);

	private final DataSource primary;

	private final List<Replica> replicas;

	private final long retryIntervalNanos;

	private final LongSupplier nanoClock;

	private final AtomicInteger next = new AtomicInteger();

	/**
	 * Creates a router.
	 * @param primary the data source of the primary, for every connection that is not
	 * read-only and as the fallback of read-only ones
	 * @param replicas the replicas by name, in round-robin order; may be empty
	 * @param retryInterval how long a replica whose connection failed is skipped; zero
	 * retries it at the next request
	 */
	public ReplicaRoutingDataSource(DataSource primary, Map<String, ? extends DataSource> replicas,
			Duration retryInterval) {
		this(primary, replicas, retryInterval, System::nanoTime);
	}

	ReplicaRoutingDataSource(DataSource primary, Map<String, ? extends DataSource> replicas, Duration retryInterval,
			LongSupplier nanoClock) {
		Assert.notNull(primary, "Primary must not be null");
		Assert.notNull(replicas, "Replicas must not be null");
		Assert.isTrue(retryInterval != null && !retryInterval.isNegative(),
				"Retry interval must not be null or negative");
		this.primary = primary;
		List<Replica> list = new ArrayList<>(replicas.size());
		replicas.forEach((name, dataSource) -> list.add(new Replica(name, dataSource)));
		this.replicas = Collections.unmodifiableList(list);
		this.retryIntervalNanos = retryInterval.toNanos();
		this.nanoClock = nanoClock;
	}

	/**
	 * Creates a router behind the {@link LazyConnectionDataSourceProxy} it needs to see
	 * the read-only flag of transactions.
	 * @param primary the data source of the primary
	 * @param replicas the replicas by name, in round-robin order
	 * @param retryInterval how long a replica whose connection failed is skipped
	 * @return the lazy proxy; {@code unwrap(ReplicaRoutingDataSource.class)} returns the
	 * router
	 */
	public static LazyConnectionDataSourceProxy lazy(DataSource primary, Map<String, ? extends DataSource> replicas,
			Duration retryInterval) {
		return new LazyConnectionDataSourceProxy(new ReplicaRoutingDataSource(primary, replicas, retryInterval));
	}

	/**
	 * Returns the data source of the primary.
	 * @return the primary
	 */
	public DataSource getPrimary() {
		return this.primary;
	}

	/**
	 * Returns the names of the replicas, in round-robin order.
	 * @return the replica names
	 */
	public List<String> getReplicaNames() {
		return this.replicas.stream().map(Replica::name).toList();
	}

	/**
	 * Returns whether the replica is currently offered connections, that is, it has not
	 * failed within the retry interval.
	 * @param name the name of the replica
	 * @return whether the replica is available
	 * @throws IllegalArgumentException if there is no replica of that name
	 */
	public boolean isAvailable(String name) {
		return this.replicas.stream()
			.filter((replica) -> replica.name().equals(name))
			.findFirst()
			.map((replica) -> replica.isAvailable(this.nanoClock.getAsLong()))
			.orElseThrow(() -> new IllegalArgumentException("No replica named '" + name + "'"));
	}

	@Override
	public Connection getConnection() throws SQLException {
		return getConnection(DataSource::getConnection);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return getConnection((dataSource) -> dataSource.getConnection(username, password));
	}

	private Connection getConnection(ConnectionSource source) throws SQLException {
		if (!this.replicas.isEmpty() && TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
			Connection connection = getReplicaConnection(source);
			if (connection != null) {
				return connection;
			}
		}
		return source.get(this.primary);
	}

	private Connection getReplicaConnection(ConnectionSource source) {
		int count = this.replicas.size();
		int start = Math.floorMod(this.next.getAndIncrement(), count);
		for (int i = 0; i < count; i++) {
			Replica replica = this.replicas.get((start + i) % count);
			long now = this.nanoClock.getAsLong();
			if (!replica.isAvailable(now)) {
				continue;
			}
			try {
				Connection connection = source.get(replica.dataSource());
				replica.succeeded();
				return connection;
			}
			catch (SQLException ex) {
				replica.failed(this.nanoClock.getAsLong() + this.retryIntervalNanos, ex);
			}
		}
		return null;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return (T) this;
		}
		throw new SQLException("ReplicaRoutingDataSource cannot be unwrapped to [" + iface.getName() + "]");
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) {
		return iface.isInstance(this);
	}

	@FunctionalInterface
	private interface ConnectionSource {

		Connection get(DataSource dataSource) throws SQLException;

	}

	private static final class Replica {

		private final String name;

		private final DataSource dataSource;

		private volatile boolean down;

		private volatile long downUntilNanos;

		Replica(String name, DataSource dataSource) {
			Assert.hasText(name, "Replica name must not be empty");
			Assert.notNull(dataSource, () -> "DataSource of replica '" + name + "' must not be null");
			this.name = name;
			this.dataSource = dataSource;
		}

		String name() {
			return this.name;
		}

		DataSource dataSource() {
			return this.dataSource;
		}

		boolean isAvailable(long nowNanos) {
			return !this.down || nowNanos - this.downUntilNanos >= 0;
		}

		void failed(long downUntilNanos, SQLException ex) {
			this.downUntilNanos = downUntilNanos;
			boolean wasDown = this.down;
			this.down = true;
			if (!wasDown) {
				logger.warn("Read replica '" + this.name
						+ "' refused a connection; read-only transactions use the other replicas or the primary"
						+ " until it answers again: " + ex.getMessage());
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Read replica '" + this.name + "' still refuses connections: " + ex.getMessage());
			}
		}

		void succeeded() {
			if (this.down) {
				this.down = false;
				logger.info("Read replica '" + this.name + "' answers again");
			}
		}

	}

}
