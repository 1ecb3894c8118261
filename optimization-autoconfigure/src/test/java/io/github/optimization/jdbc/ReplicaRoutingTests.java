package io.github.optimization.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.github.optimization.autoconfigure.jdbc.JdbcOptimizationAutoConfiguration;
import io.github.optimization.test.BootAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read-only transactions against real PostgreSQL databases: the primary is the
 * {@code test} database, the replicas are databases created for the run, each holding a
 * marker row that names it.
 */
class ReplicaRoutingTests {

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private static final String TABLE = "opt_replica_" + RUN;

	private static final String REPLICA_A = "opt_replica_a_" + RUN;

	private static final String REPLICA_B = "opt_replica_b_" + RUN;

	private static final String REPLICA_LATE = "opt_replica_c_" + RUN;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JdbcOptimizationAutoConfiguration.class,
				BootAutoConfigurations.DATA_SOURCE, BootAutoConfigurations.DATA_SOURCE_TRANSACTION_MANAGER,
				BootAutoConfigurations.JDBC_TEMPLATE, BootAutoConfigurations.TRANSACTION))
		.withPropertyValues("spring.datasource.url=" + SERVER + "test", "spring.datasource.username=postgres",
				// Routing is the subject here; slow-query wrapping has its own tests (and
				// one below).
				"optimization.jdbc.slow-query-threshold=0");

	@BeforeAll
	static void createDatabases() throws SQLException {
		execute("postgres", "CREATE DATABASE " + REPLICA_A, "CREATE DATABASE " + REPLICA_B);
		createMarker("test", "primary");
		createMarker(REPLICA_A, "a");
		createMarker(REPLICA_B, "b");
	}

	@AfterAll
	static void dropDatabases() throws SQLException {
		execute("test", "DROP TABLE IF EXISTS " + TABLE);
		execute("postgres", "DROP DATABASE IF EXISTS " + REPLICA_A + " WITH (FORCE)",
				"DROP DATABASE IF EXISTS " + REPLICA_B + " WITH (FORCE)",
				"DROP DATABASE IF EXISTS " + REPLICA_LATE + " WITH (FORCE)");
	}

	private ApplicationContextRunner withReplicas(String... databases) {
		List<String> properties = new ArrayList<>();
		for (int i = 0; i < databases.length; i++) {
			properties.add("optimization.jdbc.replicas[" + i + "].url=" + databases[i]);
		}
		return this.runner.withPropertyValues(properties.toArray(String[]::new));
	}

	@Test
	void aSlowStatementOnAReplicaIsCountedOnceWithTheReplicasPoolTag() {
		withReplicas(url(REPLICA_A))
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.METRICS,
					BootAutoConfigurations.COMPOSITE_METER_REGISTRY, BootAutoConfigurations.SIMPLE_METRICS_EXPORT))
			.withPropertyValues("optimization.jdbc.slow-query-threshold=100ms")
			.run((context) -> {
				readOnly(context, () -> context.getBean(JdbcTemplate.class)
					.queryForObject("SELECT pg_sleep(0.2)::text", String.class));
				io.micrometer.core.instrument.MeterRegistry registry = context
					.getBean(io.micrometer.core.instrument.MeterRegistry.class);
				assertThat(registry.find(io.github.optimization.metrics.MeterNames.JDBC_SLOW_QUERIES)
					.counters()
					.stream()
					.mapToDouble(io.micrometer.core.instrument.Counter::count)
					.sum()).as("the routing data source is not wrapped a second time").isEqualTo(1);
				assertThat(registry.get(io.github.optimization.metrics.MeterNames.JDBC_SLOW_QUERIES)
					.tag("pool", "replica-1")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void readOnlyTransactionsAlternateBetweenTheReplicas() {
		withReplicas(url(REPLICA_A), url(REPLICA_B)).run((context) -> {
			List<String> answers = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				answers.add(readOnly(context, () -> whoami(context)));
			}
			assertThat(answers).containsExactly("a", "b", "a", "b");
		});
	}

	@Test
	void transactionalReadOnlyMethodsUseAReplica() {
		withReplicas(url(REPLICA_A)).withUserConfiguration(MarkerServiceConfiguration.class).run((context) -> {
			MarkerService service = context.getBean(MarkerService.class);
			assertThat(service.readOnly()).isEqualTo("a");
			assertThat(service.readWrite()).isEqualTo("primary");
		});
	}

	@Test
	void writesAndOtherTransactionsNeverReachAReplica() throws SQLException {
		long primaryWrites = countWrites("test");
		withReplicas(url(REPLICA_A), url(REPLICA_B)).run((context) -> {
			// open both replica pools first, so "no connection taken" is not trivially
			// true
			readOnly(context, () -> whoami(context));
			readOnly(context, () -> whoami(context));
			HikariDataSource replica1 = context.getBean("replica-1DataSource", HikariDataSource.class);
			HikariDataSource replica2 = context.getBean("replica-2DataSource", HikariDataSource.class);
			HikariDataSource primary = context.getBean("dataSource", HikariDataSource.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			String inside = transaction(context, false, () -> {
				jdbc.update("INSERT INTO " + TABLE + " (kind, name) VALUES ('write', 'in-transaction')");
				assertThat(activeConnections(replica1)).isZero();
				assertThat(activeConnections(replica2)).isZero();
				assertThat(activeConnections(primary)).isOne();
				return whoami(context);
			});
			assertThat(inside).isEqualTo("primary");
			jdbc.update("INSERT INTO " + TABLE + " (kind, name) VALUES ('write', 'no-transaction')");
			assertThat(whoami(context)).as("outside any transaction").isEqualTo("primary");
			assertThat(replica1.getHikariPoolMXBean().getActiveConnections()).isZero();
			assertThat(replica2.getHikariPoolMXBean().getActiveConnections()).isZero();
		});
		assertThat(countWrites("test")).isEqualTo(primaryWrites + 2);
		assertThat(countWrites(REPLICA_A)).isZero();
		assertThat(countWrites(REPLICA_B)).isZero();
	}

	@Test
	void unreachableReplicaIsSkipped() throws IOException {
		withReplicas(closedPortUrl(), url(REPLICA_B)).run((context) -> {
			List<String> answers = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				answers.add(readOnly(context, () -> whoami(context)));
			}
			assertThat(answers).containsOnly("b");
			assertThat(router(context).isAvailable("replica-1")).isFalse();
			assertThat(router(context).isAvailable("replica-2")).isTrue();
		});
	}

	@Test
	void readsFallBackToThePrimaryWhenNoReplicaAnswers() throws IOException {
		withReplicas(closedPortUrl()).run((context) -> {
			assertThat(readOnly(context, () -> whoami(context))).isEqualTo("primary");
			assertThat(readOnly(context, () -> whoami(context))).isEqualTo("primary");
			assertThat(router(context).isAvailable("replica-1")).isFalse();
		});
	}

	@Test
	void failedReplicaIsRetriedAfterTheInterval() {
		withReplicas(url(REPLICA_LATE)).withPropertyValues("optimization.jdbc.replica-retry-interval=200ms")
			.run((context) -> {
				assertThat(readOnly(context, () -> whoami(context))).as("fallback while the replica is missing")
					.isEqualTo("primary");
				execute("postgres", "CREATE DATABASE " + REPLICA_LATE);
				createMarker(REPLICA_LATE, "late");
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(readOnly(context, () -> whoami(context))).isEqualTo("late"));
				assertThat(router(context).isAvailable("replica-1")).isTrue();
			});
	}

	@Test
	void replicaPoolsHaveTheirOwnPoolTag() {
		withReplicas(url(REPLICA_A), url(REPLICA_B))
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.METRICS,
					BootAutoConfigurations.SIMPLE_METRICS_EXPORT, BootAutoConfigurations.DATA_SOURCE_POOL_METRICS))
			.run((context) -> {
				readOnly(context, () -> whoami(context));
				readOnly(context, () -> whoami(context));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("hikaricp.connections").tag("pool", "replica-1").gauge()).isNotNull();
				assertThat(registry.get("hikaricp.connections").tag("pool", "replica-2").gauge()).isNotNull();
				String primaryPool = context.getBean("dataSource", HikariDataSource.class).getPoolName();
				assertThat(registry.get("hikaricp.connections").tag("pool", primaryPool).gauge()).isNotNull();
				assertThat(registry.get("jdbc.connections.max").tag("name", "replica-1").gauge().value()).isPositive();
			});
	}

	@Test
	void replicaPoolsInheritThePrimarySettings() {
		withReplicas(url(REPLICA_A), url(REPLICA_B))
			.withPropertyValues("spring.datasource.hikari.connection-timeout=1234",
					"spring.datasource.hikari.maximum-pool-size=7", "optimization.jdbc.replicas[1].name=reporting",
					"optimization.jdbc.replicas[1].maximum-pool-size=3")
			.run((context) -> {
				HikariDataSource first = context.getBean("replica-1DataSource", HikariDataSource.class);
				assertThat(first.getPoolName()).isEqualTo("replica-1");
				assertThat(first.getJdbcUrl()).isEqualTo(url(REPLICA_A));
				assertThat(first.getUsername()).isEqualTo("postgres");
				assertThat(first.getConnectionTimeout()).isEqualTo(1234);
				assertThat(first.getMaximumPoolSize()).isEqualTo(7);
				assertThat(first.isReadOnly()).isTrue();
				HikariDataSource second = context.getBean("reportingDataSource", HikariDataSource.class);
				assertThat(second.getPoolName()).isEqualTo("reporting");
				assertThat(second.getMaximumPoolSize()).isEqualTo(3);
				HikariDataSource primary = context.getBean("dataSource", HikariDataSource.class);
				assertThat(primary.getJdbcUrl()).isEqualTo(SERVER + "test");
				assertThat(primary.isReadOnly()).isFalse();
			});
	}

	@Test
	void routingDataSourceIsTheOneInjected() {
		withReplicas(url(REPLICA_A)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DataSource.class)).isInstanceOf(LazyConnectionDataSourceProxy.class)
				.isSameAs(context.getBean("replicaRoutingDataSource"));
			assertThat(context.getBean(HikariDataSource.class)).isSameAs(context.getBean("dataSource"));
			assertThat(router(context).getPrimary()).isSameAs(context.getBean("dataSource"));
			assertThat(router(context).getReplicaNames()).containsExactly("replica-1");
		});
	}

	@Test
	void nothingChangesWithoutReplicas() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DataSource.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			assertThat(context).doesNotHaveBean("replicaRoutingDataSource");
		});
	}

	@Test
	void backsOffWhenTheApplicationRoutesItself() {
		withReplicas(url(REPLICA_A)).withUserConfiguration(UserRoutingConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean("replicaRoutingDataSource");
			assertThat(context).doesNotHaveBean("replica-1DataSource");
		});
	}

	@Test
	void replicaWithoutUrlFailsNamingTheProperty() {
		this.runner.withPropertyValues("optimization.jdbc.replicas[0].name=reporting").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("optimization.jdbc.replicas[0].url");
		});
	}

	private static <T> T readOnly(AssertableApplicationContext context, TransactionBody<T> body) {
		return transaction(context, true, body);
	}

	private static <T> T transaction(AssertableApplicationContext context, boolean readOnly, TransactionBody<T> body) {
		TransactionTemplate template = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
		template.setReadOnly(readOnly);
		return template.execute((status) -> body.run());
	}

	private static String whoami(AssertableApplicationContext context) {
		return context.getBean(JdbcTemplate.class)
			.queryForObject("SELECT name FROM " + TABLE + " WHERE kind = 'marker'", String.class);
	}

	private static ReplicaRoutingDataSource router(AssertableApplicationContext context) throws SQLException {
		return context.getBean(DataSource.class).unwrap(ReplicaRoutingDataSource.class);
	}

	private static int activeConnections(HikariDataSource dataSource) {
		HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
		return (pool != null) ? pool.getActiveConnections() : 0;
	}

	private static String url(String database) {
		return SERVER + database;
	}

	private static String closedPortUrl() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return "jdbc:postgresql://127.0.0.1:" + socket.getLocalPort() + "/none?connectTimeout=2";
		}
	}

	private static void createMarker(String database, String name) throws SQLException {
		execute(database, "CREATE TABLE " + TABLE + " (kind text NOT NULL, name text NOT NULL)",
				"INSERT INTO " + TABLE + " (kind, name) VALUES ('marker', '" + name + "')");
	}

	private static long countWrites(String database) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url(database), "postgres", null);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT count(*) FROM " + TABLE + " WHERE kind = 'write'")) {
			result.next();
			return result.getLong(1);
		}
	}

	private static void execute(String database, String... statements) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url(database), "postgres", null);
				Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

	@FunctionalInterface
	interface TransactionBody<T> {

		T run();

	}

	@Configuration(proxyBeanMethods = false)
	static class MarkerServiceConfiguration {

		@Bean
		MarkerService markerService(JdbcTemplate jdbc) {
			return new MarkerService(jdbc);
		}

	}

	static class MarkerService {

		private final JdbcTemplate jdbc;

		MarkerService(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Transactional(readOnly = true)
		public String readOnly() {
			return whoami();
		}

		@Transactional
		public String readWrite() {
			return whoami();
		}

		private String whoami() {
			return this.jdbc.queryForObject("SELECT name FROM " + TABLE + " WHERE kind = 'marker'", String.class);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRoutingConfiguration {

		@Bean
		HikariDataSource userPool() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl(SERVER + "test");
			pool.setUsername("postgres");
			return pool;
		}

		@Bean
		@Primary
		LazyConnectionDataSourceProxy userRouting(HikariDataSource userPool) {
			LazyConnectionDataSourceProxy proxy = new LazyConnectionDataSourceProxy(userPool);
			proxy.setReadOnlyDataSource(userPool);
			return proxy;
		}

	}

}
