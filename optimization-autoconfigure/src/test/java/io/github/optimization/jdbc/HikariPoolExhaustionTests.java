package io.github.optimization.jdbc;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.optimization.autoconfigure.jdbc.JdbcOptimizationAutoConfiguration;
import io.github.optimization.test.BootAutoConfigurations;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * F18: an exhausted pool fails callers after connectionTimeout, never hangs, and recovers
 * when connections come back; the standard pool meters keep working.
 */
class HikariPoolExhaustionTests {

	private static final long CONNECTION_TIMEOUT_MS = 500;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		// The pool is the subject: no slow-query proxy around it.
		.withPropertyValues("optimization.jdbc.slow-query-threshold=0")
		.withConfiguration(
				AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, JdbcOptimizationAutoConfiguration.class,
						BootAutoConfigurations.METRICS, BootAutoConfigurations.COMPOSITE_METER_REGISTRY,
						BootAutoConfigurations.SIMPLE_METRICS_EXPORT, BootAutoConfigurations.DATA_SOURCE_POOL_METRICS))
		.withPropertyValues("spring.datasource.url=" + HikariTuningTests.URL, "spring.datasource.username=postgres",
				"spring.datasource.hikari.pool-name=exhaustion", "spring.datasource.hikari.maximum-pool-size=2",
				"spring.datasource.hikari.connection-timeout=" + CONNECTION_TIMEOUT_MS);

	private final ExecutorService waiter = Executors.newSingleThreadExecutor();

	@AfterEach
	void stopWaiter() throws InterruptedException {
		this.waiter.shutdownNow();
		assertThat(this.waiter.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void poolMetersHaveThePoolTag() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("hikaricp.connections").tag("pool", "exhaustion").gauge()).isNotNull();
			assertThat(registry.find("hikaricp.connections.pending").tag("pool", "exhaustion").gauge()).isNotNull();
			assertThat(registry.find("hikaricp.connections.idle").tag("pool", "exhaustion").gauge().value())
				.isEqualTo(2);
		});
	}

	@Test
	void thirdCallerFailsAfterConnectionTimeoutAndPoolRecovers() {
		this.runner.run((context) -> {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			Gauge pending = context.getBean(MeterRegistry.class)
				.get("hikaricp.connections.pending")
				.tag("pool", "exhaustion")
				.gauge();
			Connection first = pool.getConnection();
			Connection second = pool.getConnection();
			CompletableFuture<Long> third = CompletableFuture.supplyAsync(() -> {
				long start = System.nanoTime();
				try (Connection connection = pool.getConnection()) {
					throw new AssertionError("Got a connection from an exhausted pool");
				}
				catch (SQLTransientConnectionException ex) {
					return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				}
				catch (Exception ex) {
					throw new AssertionError(ex);
				}
			}, this.waiter);
			// HikariCP's meters cache the pool's statistics for a second: read the gauge
			// only
			// once the caller is known to wait, and for the first time in this context.
			await().atMost(Duration.ofMillis(CONNECTION_TIMEOUT_MS))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0);
			assertThat(pending.value()).isPositive();
			long waited = third.get(5, TimeUnit.SECONDS);
			assertThat(waited).isCloseTo(CONNECTION_TIMEOUT_MS, within(250L));
			await().atMost(Duration.ofSeconds(3)).until(() -> pending.value() == 0);

			// A caller waiting when a connection comes back gets it.
			CompletableFuture<Boolean> fourth = CompletableFuture.supplyAsync(() -> {
				try (Connection connection = pool.getConnection()) {
					return connection.isValid(1);
				}
				catch (Exception ex) {
					throw new AssertionError(ex);
				}
			}, this.waiter);
			await().atMost(Duration.ofMillis(CONNECTION_TIMEOUT_MS))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0);
			first.close();
			assertThat(fourth.get(5, TimeUnit.SECONDS)).isTrue();
			second.close();
			try (Connection connection = pool.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> pool.getHikariPoolMXBean().getIdleConnections() == 2);
		});
	}

	@Test
	void waitingCallerNeverHangs() {
		this.runner.run((context) -> {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			try (Connection first = pool.getConnection(); Connection second = pool.getConnection()) {
				assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(pool::getConnection)
					.withMessageContaining("request timed out after");
			}
		});
	}

}
