package io.github.optimization.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.github.optimization.autoconfigure.jdbc.JdbcOptimizationAutoConfiguration;
import io.github.optimization.test.BootAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Startup checks of a pool against the PostgreSQL server. The shared server's
 * configuration is never changed: the idle_session_timeout check uses a role created (and
 * dropped) by the test.
 */
@ExtendWith(OutputCaptureExtension.class)
class HikariStartupChecksTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		// The pool is the subject: no slow-query proxy around it.
		.withPropertyValues("optimization.jdbc.slow-query-threshold=0")
		.withConfiguration(
				AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, JdbcOptimizationAutoConfiguration.class));

	private ApplicationContextRunner postgres() {
		return this.runner.withPropertyValues("spring.datasource.url=" + HikariTuningTests.URL,
				"spring.datasource.username=postgres");
	}

	@Test
	void noFindingsWithTheDefaults(CapturedOutput output) {
		postgres().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).doesNotContain("max_connections").doesNotContain("idle_session_timeout");
		});
	}

	@Test
	void warnsWhenAllInstancesTogetherExceedMaxConnections(CapturedOutput output) {
		postgres().withPropertyValues("optimization.jdbc.pool.expected-instances=1000").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).containsOnlyOnce("optimization.jdbc.pool.expected-instances) =")
				.contains("WARN")
				.contains("x 1000 expected instances")
				.contains("max_connections")
				.contains("spring.datasource.hikari.maximum-pool-size");
		});
	}

	@Test
	void warnsWhenMaxLifetimeAndKeepaliveAreNotBelowIdleSessionTimeout(CapturedOutput output) throws SQLException {
		String role = "hikari_checks_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		admin("CREATE ROLE " + role + " LOGIN");
		try {
			admin("ALTER ROLE " + role + " SET idle_session_timeout = '1min'");
			this.runner
				.withPropertyValues("spring.datasource.url=" + HikariTuningTests.URL,
						"spring.datasource.username=" + role)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(output).containsOnlyOnce("idle_session_timeout 60000ms")
						.contains("maxLifetime 1500000ms and keepaliveTime 120000ms")
						.contains("optimization.jdbc.pool.max-lifetime");
				});
			// A keepalive below the timeout keeps idle connections alive: nothing to say.
			this.runner
				.withPropertyValues("spring.datasource.url=" + HikariTuningTests.URL,
						"spring.datasource.username=" + role, "optimization.jdbc.pool.keepalive-time=30s",
						"optimization.jdbc.pool.expected-instances=2")
				.run((context) -> assertThat(output).containsOnlyOnce("idle_session_timeout 60000ms"));
		}
		finally {
			admin("DROP ROLE " + role);
		}
	}

	@Test
	void otherDatabasesAreNotChecked(CapturedOutput output) {
		this.runner
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:checks",
					"optimization.jdbc.pool.expected-instances=1000")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain("max_connections");
			});
	}

	private static void admin(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(HikariTuningTests.URL, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
