package io.github.optimization.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.optimization.autoconfigure.jdbc.JdbcOptimizationAutoConfiguration;
import io.github.optimization.test.BootAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tuning of Spring Boot's HikariCP pool against a real PostgreSQL.
 */
class HikariTuningTests {

	static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		// The pool is the subject: no slow-query proxy around it.
		.withPropertyValues("optimization.jdbc.slow-query-threshold=0")
		.withConfiguration(
				AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, JdbcOptimizationAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + URL, "spring.datasource.username=postgres");

	@Test
	void appliesTheStarterDefaults() {
		int expectedSize = Math.max(4, Math.min(20, Runtime.getRuntime().availableProcessors() * 2 + 1));
		this.runner.run((context) -> {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			assertThat(pool.getMaximumPoolSize()).isEqualTo(expectedSize);
			assertThat(pool.getConnectionTimeout()).isEqualTo(3000);
			assertThat(pool.getKeepaliveTime()).isEqualTo(120_000);
			assertThat(pool.getMaxLifetime()).isEqualTo(25 * 60_000);
			assertThat(pool.getLeakDetectionThreshold()).isZero();
			assertThat(pool.getInitializationFailTimeout()).isEqualTo(-1);
			assertThat(pool.isRunning()).isTrue();
		});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void tuningLogNamesThePoolAsItsMetersDo(CapturedOutput output) {
		this.runner
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.METRICS,
					BootAutoConfigurations.SIMPLE_METRICS_EXPORT, BootAutoConfigurations.DATA_SOURCE_POOL_METRICS))
			.run((context) -> {
				String pool = context.getBean(HikariDataSource.class).getPoolName();
				assertThat(pool).startsWith("HikariPool-");
				assertThat(output).contains("HikariCP pool '" + pool + "' tuned: maximumPoolSize ")
					.doesNotContain("HikariCP pool 'dataSource'");
				assertThat(context.getBean(MeterRegistry.class).find("hikaricp.connections").tag("pool", pool).gauge())
					.isNotNull();
			});
	}

	@Test
	void poolSizeFormulaIsClamped() {
		assertThat(HikariPoolDefaults.poolSize(1, 4, 20)).isEqualTo(4);
		assertThat(HikariPoolDefaults.poolSize(2, 4, 20)).isEqualTo(5);
		assertThat(HikariPoolDefaults.poolSize(8, 4, 20)).isEqualTo(17);
		assertThat(HikariPoolDefaults.poolSize(64, 4, 20)).isEqualTo(20);
	}

	@Test
	void poolSizeBoundsComeFromProperties() {
		this.runner.withPropertyValues("optimization.jdbc.pool.minimum-size=9", "optimization.jdbc.pool.maximum-size=9")
			.run((context) -> assertThat(context.getBean(HikariDataSource.class).getMaximumPoolSize()).isEqualTo(9));
	}

	@Test
	void explicitHikariPropertiesWin() {
		this.runner
			.withPropertyValues("spring.datasource.hikari.maximum-pool-size=7",
					"spring.datasource.hikari.connection-timeout=1500", "spring.datasource.hikari.maxLifetime=600000",
					"spring.datasource.hikari.keepalive-time=0")
			.run((context) -> {
				HikariDataSource pool = context.getBean(HikariDataSource.class);
				assertThat(pool.getMaximumPoolSize()).isEqualTo(7);
				assertThat(pool.getConnectionTimeout()).isEqualTo(1500);
				assertThat(pool.getMaxLifetime()).isEqualTo(600_000);
				assertThat(pool.getKeepaliveTime()).isZero();
			});
	}

	@Test
	void explicitValueEqualToHikarisDefaultWins() {
		this.runner
			.withPropertyValues("spring.datasource.hikari.maximumPoolSize=10",
					"spring.datasource.hikari.connection-timeout=30000",
					"spring.datasource.hikari.initialization-fail-timeout=1")
			.run((context) -> {
				HikariDataSource pool = context.getBean(HikariDataSource.class);
				assertThat(pool.getMaximumPoolSize()).isEqualTo(10);
				assertThat(pool.getConnectionTimeout()).isEqualTo(30_000);
				assertThat(pool.getInitializationFailTimeout()).isEqualTo(1);
			});
	}

	@Test
	void tuneFalseLeavesHikarisDefaults() {
		HikariConfig hikari = new HikariConfig();
		this.runner.withPropertyValues("optimization.jdbc.pool.tune=false").run((context) -> {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			assertThat(pool.getMaximumPoolSize()).isEqualTo(10);
			assertThat(pool.getConnectionTimeout()).isEqualTo(hikari.getConnectionTimeout());
			assertThat(pool.getMaxLifetime()).isEqualTo(hikari.getMaxLifetime());
			assertThat(pool.getKeepaliveTime()).isEqualTo(hikari.getKeepaliveTime());
			assertThat(pool.getInitializationFailTimeout()).isEqualTo(hikari.getInitializationFailTimeout());
		});
	}

	@Test
	void leakDetectionIsOneProperty() {
		this.runner.withPropertyValues("optimization.jdbc.pool.leak-detection-threshold=10s")
			.run((context) -> assertThat(context.getBean(HikariDataSource.class).getLeakDetectionThreshold())
				.isEqualTo(10_000));
	}

	@Test
	void starterPropertiesApply() {
		this.runner
			.withPropertyValues("optimization.jdbc.pool.connection-timeout=2s",
					"optimization.jdbc.pool.max-lifetime=10m", "optimization.jdbc.pool.keepalive-time=1m")
			.run((context) -> {
				HikariDataSource pool = context.getBean(HikariDataSource.class);
				assertThat(pool.getConnectionTimeout()).isEqualTo(2000);
				assertThat(pool.getMaxLifetime()).isEqualTo(600_000);
				assertThat(pool.getKeepaliveTime()).isEqualTo(60_000);
			});
	}

}
