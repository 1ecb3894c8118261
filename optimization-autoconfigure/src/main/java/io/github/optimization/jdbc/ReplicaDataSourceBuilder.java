package io.github.optimization.jdbc;

import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Builds the HikariCP pool of a read replica. The pool inherits every setting of the
 * primary's pool (timeouts, sizes, keepalive, leak detection, init SQL, data source
 * properties, credentials, ...) except those that identify the primary (its URL, its pool
 * name, a data source object or class, metrics and health-check registries), then applies
 * the replica's own settings. Replica pools are read-only.
 *
 * <p>
 * The pool is not started: like Boot's own pool it opens at the first
 * {@code getConnection}, so an unreachable replica never stops the application from
 * starting.
 */
public final class ReplicaDataSourceBuilder {

	private final HikariConfig primary;

	private String name;

	private String url;

	private String username;

	private String password;

	private Integer maximumPoolSize;

	private ReplicaDataSourceBuilder(HikariConfig primary) {
		this.primary = primary;
	}

	/**
	 * Starts a replica pool that inherits the settings of the given pool.
	 * @param primary the primary's pool, or {@code null} to start from HikariCP's
	 * defaults
	 * @return a builder
	 */
	public static ReplicaDataSourceBuilder inheriting(HikariConfig primary) {
		return new ReplicaDataSourceBuilder(primary);
	}

	/**
	 * Sets the name of the replica, used as the pool name (and so as the {@code pool} tag
	 * of HikariCP's meters). Required.
	 * @param name the name
	 * @return this builder
	 */
	public ReplicaDataSourceBuilder name(String name) {
		this.name = name;
		return this;
	}

	/**
	 * Sets the JDBC URL of the replica. Required.
	 * @param url the URL
	 * @return this builder
	 */
	public ReplicaDataSourceBuilder url(String url) {
		this.url = url;
		return this;
	}

	/**
	 * Sets the login user; {@code null} keeps the primary's.
	 * @param username the user
	 * @return this builder
	 */
	public ReplicaDataSourceBuilder username(String username) {
		this.username = username;
		return this;
	}

	/**
	 * Sets the login password; {@code null} keeps the primary's.
	 * @param password the password
	 * @return this builder
	 */
	public ReplicaDataSourceBuilder password(String password) {
		this.password = password;
		return this;
	}

	/**
	 * Sets the largest number of connections of the pool; {@code null} keeps the
	 * primary's.
	 * @param maximumPoolSize the size
	 * @return this builder
	 */
	public ReplicaDataSourceBuilder maximumPoolSize(Integer maximumPoolSize) {
		this.maximumPoolSize = maximumPoolSize;
		return this;
	}

	/**
	 * Builds the pool, without starting it.
	 * @return the replica's pool
	 */
	public HikariDataSource build() {
		Assert.hasText(this.name, "Replica name must not be empty");
		Assert.hasText(this.url, () -> "URL of replica '" + this.name + "' must not be empty");
		HikariDataSource replica = new HikariDataSource();
		if (this.primary != null) {
			inherit(replica);
		}
		replica.setPoolName(this.name);
		replica.setJdbcUrl(this.url);
		DatabaseDriver driver = DatabaseDriver.fromJdbcUrl(this.url);
		if (driver.getDriverClassName() != null) {
			replica.setDriverClassName(driver.getDriverClassName());
		}
		if (this.username != null) {
			replica.setUsername(this.username);
		}
		if (this.password != null) {
			replica.setPassword(this.password);
		}
		if (this.maximumPoolSize != null) {
			Assert.isTrue(this.maximumPoolSize > 0,
					() -> "Maximum pool size of replica '" + this.name + "' must be positive");
			replica.setMaximumPoolSize(this.maximumPoolSize);
			if (replica.getMinimumIdle() > this.maximumPoolSize) {
				replica.setMinimumIdle(this.maximumPoolSize);
			}
		}
		replica.setReadOnly(true);
		return replica;
	}

	private void inherit(HikariDataSource replica) {
		this.primary.copyStateTo(replica);
		// copyStateTo shares mutable state and leaves out final fields: repair both
		replica.setDataSourceProperties(copy(this.primary.getDataSourceProperties()));
		replica.setHealthCheckProperties(copy(this.primary.getHealthCheckProperties()));
		replica.setUsername(this.primary.getUsername());
		replica.setPassword(this.primary.getPassword());
		// what identifies the primary, or is bound to its pool, is not inherited
		replica.setDataSource(null);
		replica.setDataSourceClassName(null);
		replica.setDataSourceJNDI(null);
		if (replica.getMetricsTrackerFactory() != null) {
			replica.setMetricsTrackerFactory(null);
		}
		if (replica.getMetricRegistry() != null) {
			replica.setMetricRegistry(null);
		}
		replica.setHealthCheckRegistry(null);
		replica.setPoolName(null);
	}

	private static Properties copy(Properties properties) {
		Properties copy = new Properties();
		if (properties != null) {
			copy.putAll(properties);
		}
		return copy;
	}

	@Override
	public String toString() {
		return "ReplicaDataSourceBuilder[" + this.name + ", " + StringUtils.quote(this.url) + "]";
	}

}
