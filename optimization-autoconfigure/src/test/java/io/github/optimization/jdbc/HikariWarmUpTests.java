package io.github.optimization.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
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
 * Warm-up at startup, and the one log line of a database that is down.
 */
@ExtendWith(OutputCaptureExtension.class)
class HikariWarmUpTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		// The pool is the subject: no slow-query proxy around it.
		.withPropertyValues("optimization.jdbc.slow-query-threshold=0")
		.withConfiguration(
				AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, JdbcOptimizationAutoConfiguration.class))
		.withPropertyValues("spring.datasource.username=postgres");

	@Test
	void poolHoldsMinimumIdleConnectionsWhenStartupEnds() {
		this.runner
			.withPropertyValues("spring.datasource.url=" + HikariTuningTests.URL,
					"spring.datasource.hikari.minimum-idle=2")
			.run((context) -> {
				HikariPoolMXBean pool = context.getBean(HikariDataSource.class).getHikariPoolMXBean();
				assertThat(pool).isNotNull();
				assertThat(pool.getIdleConnections()).isGreaterThanOrEqualTo(2);
				assertThat(pool.getActiveConnections()).isZero();
			});
	}

	@Test
	void logsOnceAndStartsWhenTheDatabaseIsDown(CapturedOutput output) {
		this.runner
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/test?password=in-url-secret",
					"spring.datasource.password=s3cret-pw", "spring.datasource.hikari.connection-timeout=500")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).containsOnlyOnce("is not reachable at startup")
					.contains("Database postgresql://127.0.0.1:1/test is not reachable at startup")
					.contains("The application starts anyway")
					.doesNotContain("s3cret-pw")
					.doesNotContain("in-url-secret")
					.doesNotContain("Exception during pool initialization");
				assertThat(context.getBean(HikariDataSource.class).isRunning()).isTrue();
			});
	}

	@Test
	void logsOnceWhenTheDatabaseIsDownAndWarmUpIsOff(CapturedOutput output) {
		this.runner
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/test",
					"spring.datasource.password=s3cret-pw", "spring.datasource.hikari.connection-timeout=500",
					"optimization.jdbc.pool.warm-up=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).containsOnlyOnce("is not reachable at startup").doesNotContain("s3cret-pw");
			});
	}

	@Test
	void describesUrlsWithoutCredentials() {
		assertThat(DatabaseUrls.describe("jdbc:postgresql://u:secret@db.example:5432/orders?password=x"))
			.isEqualTo("postgresql://db.example:5432/orders");
		assertThat(DatabaseUrls.describe("jdbc:sqlserver://db:1433;databaseName=a;password=x"))
			.isEqualTo("sqlserver://db:1433");
		assertThat(DatabaseUrls.describe("jdbc:oracle:thin:scott/tiger@//db:1521/svc"))
			.isEqualTo("oracle://db:1521/svc");
		assertThat(DatabaseUrls.redact("bad url jdbc:x://h/d?password=abc&user=u", null))
			.isEqualTo("bad url jdbc:x://h/d?password=******&user=u");
	}

}
