package io.github.optimization.jdbc;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.github.optimization.autoconfigure.jdbc.JdbcOptimizationAutoConfiguration;
import io.github.optimization.metrics.MeterNames;
import io.github.optimization.test.BootAutoConfigurations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow-query detection against a real PostgreSQL at 127.0.0.1:5432 (user postgres, trust
 * authentication, database test). {@code SELECT pg_sleep(0.3)} is the slow statement; the
 * threshold is 100ms.
 */
@ExtendWith(OutputCaptureExtension.class)
class SlowQueryAutoConfigurationTests {

	private static final String POOL = "slow-query-tests";

	private static final String SLOW = "SELECT pg_sleep(0.3)";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JdbcOptimizationAutoConfiguration.class,
				BootAutoConfigurations.DATA_SOURCE, BootAutoConfigurations.METRICS,
				BootAutoConfigurations.SIMPLE_METRICS_EXPORT, BootAutoConfigurations.DATA_SOURCE_POOL_METRICS))
		.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test",
				"spring.datasource.username=postgres", "spring.datasource.hikari.pool-name=" + POOL,
				"spring.datasource.hikari.minimum-idle=1", "optimization.jdbc.slow-query-threshold=100ms");

	@Test
	void slowStatementIsLoggedOnceAndCountedEachTime(CapturedOutput output) {
		this.runner.run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			for (int i = 0; i < 5; i++) {
				jdbc.execute(SLOW);
			}
			assertThat(output).containsOnlyOnce("Slow SQL statement on pool '" + POOL + "'")
				.containsOnlyOnce("SELECT pg_sleep(?)");
			assertThat(slowQueries(context.getBean(MeterRegistry.class))).isEqualTo(5);
		});
	}

	@Test
	void parametersAreRedactedByDefault(CapturedOutput output) {
		this.runner.run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			jdbc.queryForList("SELECT pg_sleep(0.3), ?::text AS secret, 'hunter3-literal' AS literal",
					"hunter2-secret");
			assertThat(output).contains("Slow SQL statement", "[1 parameter redacted]")
				.doesNotContain("hunter2")
				.doesNotContain("hunter3");
		});
	}

	@Test
	void parametersAreLoggedWhenAskedFor(CapturedOutput output) {
		this.runner.withPropertyValues("optimization.jdbc.log-slow-query-parameters=true").run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			jdbc.queryForList("SELECT pg_sleep(0.3), ?::text AS secret", "hunter2-secret");
			assertThat(output).contains("Slow SQL statement", "SELECT pg_sleep(0.3)", "[1=hunter2-secret]");
		});
	}

	@Test
	void fastStatementsAreNeitherLoggedNorCounted(CapturedOutput output) {
		this.runner.run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			for (int i = 0; i < 5; i++) {
				jdbc.queryForObject("SELECT ?::int + 1", Integer.class, i);
			}
			assertThat(output).doesNotContain("Slow SQL statement");
			assertThat(slowQueries(context.getBean(MeterRegistry.class))).isZero();
		});
	}

	@Test
	void poolStaysReachableAndKeepsItsMeters() {
		this.runner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource).isInstanceOf(ProxyDataSource.class);
			new JdbcTemplate(dataSource).execute(SLOW);
			HikariDataSource hikari = DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class,
					HikariDataSource.class);
			assertThat(hikari).isNotNull();
			assertThat(hikari.getPoolName()).isEqualTo(POOL);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("hikaricp.connections").tag("pool", POOL).gauge()).isNotNull();
			assertThat(registry.find("hikaricp.connections.active").tag("pool", POOL).gauge()).isNotNull();
			assertThat(registry.get(MeterNames.JDBC_SLOW_QUERIES).tag("pool", POOL).counter().count()).isOne();
			context.close();
			assertThat(hikari.isClosed()).as("closing the proxy closes the pool").isTrue();
		});
	}

	@Test
	void zeroThresholdLeavesTheDataSourceAlone() {
		this.runner.withPropertyValues("optimization.jdbc.slow-query-threshold=0").run((context) -> {
			assertThat(context).doesNotHaveBean(SlowQueryDataSourcePostProcessor.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
		});
	}

	@Test
	void negativeThresholdLeavesTheDataSourceAlone() {
		this.runner.withPropertyValues("optimization.jdbc.slow-query-threshold=-1s")
			.run((context) -> assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class));
	}

	@Test
	void disabledStarterLeavesTheDataSourceAlone() {
		this.runner.withPropertyValues("optimization.jdbc.enabled=false")
			.run((context) -> assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class));
	}

	@Test
	void withoutDatasourceProxyNothingIsWrapped() {
		this.runner.withClassLoader(new FilteredClassLoader(ProxyDataSourceBuilder.class))
			.run((context) -> assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class));
	}

	@Test
	void withoutMicrometerSlowStatementsAreStillLogged(CapturedOutput output) {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(JdbcOptimizationAutoConfiguration.class, BootAutoConfigurations.DATA_SOURCE))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test",
					"spring.datasource.username=postgres", "spring.datasource.hikari.pool-name=" + POOL,
					"optimization.jdbc.slow-query-threshold=100ms")
			.run((context) -> {
				new JdbcTemplate(context.getBean(DataSource.class)).execute(SLOW);
				assertThat(context).doesNotHaveBean(SlowQueryMetrics.class);
				assertThat(output).containsOnlyOnce("SELECT pg_sleep(?)");
			});
	}

	private static double slowQueries(MeterRegistry registry) {
		Counter counter = registry.find(MeterNames.JDBC_SLOW_QUERIES).tag("pool", POOL).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
