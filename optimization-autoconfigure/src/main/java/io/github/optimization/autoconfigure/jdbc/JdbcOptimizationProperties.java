package io.github.optimization.autoconfigure.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the database side: HikariCP tuning, read replicas and slow-query
 * detection. A key under {@code optimization.jdbc} that names no setting fails startup.
 */
@ConfigurationProperties(prefix = "optimization.jdbc", ignoreUnknownFields = false)
public class JdbcOptimizationProperties {

	/**
	 * Whether the starter tunes HikariCP pools, routes read-only transactions to replicas
	 * and detects slow queries.
	 */
	private boolean enabled = true;

	/**
	 * Statements slower than this are logged (once per statement text) and counted. Zero
	 * or negative turns slow-query detection off.
	 */
	private Duration slowQueryThreshold = Duration.ofSeconds(1);

	/**
	 * Whether slow-query log lines include the statement's parameter values. Off by
	 * default: parameters often hold personal data.
	 */
	private boolean logSlowQueryParameters = false;

	private final Pool pool = new Pool();

	/**
	 * Read replicas. Transactions marked read-only go to one of them (round-robin), all
	 * others to the primary.
	 */
	private List<Replica> replicas = new ArrayList<>();

	/**
	 * How long a replica whose connection failed is skipped before it is tried again.
	 */
	private Duration replicaRetryInterval = Duration.ofSeconds(30);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getSlowQueryThreshold() {
		return this.slowQueryThreshold;
	}

	public void setSlowQueryThreshold(Duration slowQueryThreshold) {
		this.slowQueryThreshold = slowQueryThreshold;
	}

	public boolean isLogSlowQueryParameters() {
		return this.logSlowQueryParameters;
	}

	public void setLogSlowQueryParameters(boolean logSlowQueryParameters) {
		this.logSlowQueryParameters = logSlowQueryParameters;
	}

	public Pool getPool() {
		return this.pool;
	}

	public List<Replica> getReplicas() {
		return this.replicas;
	}

	public void setReplicas(List<Replica> replicas) {
		this.replicas = replicas;
	}

	public Duration getReplicaRetryInterval() {
		return this.replicaRetryInterval;
	}

	public void setReplicaRetryInterval(Duration replicaRetryInterval) {
		this.replicaRetryInterval = replicaRetryInterval;
	}

	/**
	 * Tuning of HikariCP pools. Every value the application sets under
	 * spring.datasource.hikari.* wins over these.
	 */
	public static class Pool {

		/**
		 * Whether the starter adjusts HikariCP pools before they start.
		 */
		private boolean tune = true;

		/**
		 * Smallest pool size the machine-based formula may choose.
		 */
		private int minimumSize = 4;

		/**
		 * Largest pool size the machine-based formula may choose.
		 */
		private int maximumSize = 20;

		/**
		 * How long a caller waits for a connection before failing (HikariCP's own default
		 * is 30s; failing fast keeps threads from piling up).
		 */
		private Duration connectionTimeout = Duration.ofSeconds(3);

		/**
		 * How often idle connections are tested, so the network or the database does not
		 * drop them silently.
		 */
		private Duration keepaliveTime = Duration.ofMinutes(2);

		/**
		 * Longest life of a connection; kept below the database's own idle and session
		 * timeouts.
		 */
		private Duration maxLifetime = Duration.ofMinutes(25);

		/**
		 * How long a connection may be held before HikariCP logs where it was taken (leak
		 * detection). Unset leaves leak detection off.
		 */
		private Duration leakDetectionThreshold;

		/**
		 * Whether the pool opens its minimum idle connections before the application
		 * reports ready.
		 */
		private boolean warmUp = true;

		/**
		 * How many instances of the application are expected to share the database; the
		 * startup check warns when their pools together exceed max_connections.
		 */
		private int expectedInstances = 1;

		public boolean isTune() {
			return this.tune;
		}

		public void setTune(boolean tune) {
			this.tune = tune;
		}

		public int getMinimumSize() {
			return this.minimumSize;
		}

		public void setMinimumSize(int minimumSize) {
			this.minimumSize = minimumSize;
		}

		public int getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(int maximumSize) {
			this.maximumSize = maximumSize;
		}

		public Duration getConnectionTimeout() {
			return this.connectionTimeout;
		}

		public void setConnectionTimeout(Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
		}

		public Duration getKeepaliveTime() {
			return this.keepaliveTime;
		}

		public void setKeepaliveTime(Duration keepaliveTime) {
			this.keepaliveTime = keepaliveTime;
		}

		public Duration getMaxLifetime() {
			return this.maxLifetime;
		}

		public void setMaxLifetime(Duration maxLifetime) {
			this.maxLifetime = maxLifetime;
		}

		public Duration getLeakDetectionThreshold() {
			return this.leakDetectionThreshold;
		}

		public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
			this.leakDetectionThreshold = leakDetectionThreshold;
		}

		public boolean isWarmUp() {
			return this.warmUp;
		}

		public void setWarmUp(boolean warmUp) {
			this.warmUp = warmUp;
		}

		public int getExpectedInstances() {
			return this.expectedInstances;
		}

		public void setExpectedInstances(int expectedInstances) {
			this.expectedInstances = expectedInstances;
		}

	}

	/**
	 * One read replica.
	 */
	public static class Replica {

		/**
		 * Name of the replica, used as its pool name (and the pool tag of its meters).
		 * Defaults to replica-1, replica-2, ...
		 */
		private String name;

		/**
		 * JDBC URL of the replica.
		 */
		private String url;

		/**
		 * Login user; defaults to the primary's.
		 */
		private String username;

		/**
		 * Login password; defaults to the primary's.
		 */
		private String password;

		/**
		 * Most connections in the replica's pool; defaults to the primary's tuned size.
		 */
		private Integer maximumPoolSize;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public Integer getMaximumPoolSize() {
			return this.maximumPoolSize;
		}

		public void setMaximumPoolSize(Integer maximumPoolSize) {
			this.maximumPoolSize = maximumPoolSize;
		}

	}

}
