package io.github.optimization.jdbc;

import java.sql.Connection;
import java.util.Arrays;

import com.zaxxer.hikari.HikariDataSource;
import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.autoconfigure.jdbc.JdbcOptimizationAutoConfiguration;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.test.BootAutoConfigurations;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * F18, second half: while every connection of the pool is taken, cache hits do not touch
 * the pool and keep their latency (bounds relative to a baseline measured in the same
 * test).
 */
class HikariExhaustionCacheHitsTests {

	private static final int CALLS = 2_000;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, JdbcOptimizationAutoConfiguration.class,
						BootAutoConfigurations.JDBC_TEMPLATE, TieredCacheAutoConfiguration.class))
		.withPropertyValues("optimization.jdbc.slow-query-threshold=0",
				"spring.datasource.url=" + HikariTuningTests.URL, "spring.datasource.username=postgres",
				"spring.datasource.hikari.maximum-pool-size=2", "spring.datasource.hikari.connection-timeout=500");

	@Test
	void cacheHitsKeepTheirLatencyWhileThePoolIsExhausted() {
		this.runner.run((context) -> {
			TieredCache cache = (TieredCache) context.getBean(TieredCacheManager.class).getCache("rows");
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			for (int i = 0; i < 100; i++) {
				int n = i;
				cache.get(n, () -> jdbc.queryForObject("SELECT ?::int * 2", Integer.class, n));
			}
			long baseline = p99(cache);
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			try (Connection first = pool.getConnection(); Connection second = pool.getConnection()) {
				long exhausted = p99(cache);
				assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isZero();
				assertThat(exhausted).as("hits during exhaustion (baseline p99 %d ns)", baseline)
					.isLessThanOrEqualTo(Math.max(2 * baseline, baseline + 1_000_000));
			}
		});
	}

	private static long p99(TieredCache cache) {
		long[] nanos = new long[CALLS];
		for (int i = 0; i < CALLS; i++) {
			int n = i % 100;
			long start = System.nanoTime();
			Object value = cache.get(n, () -> {
				throw new AssertionError("a hit must not load");
			});
			nanos[i] = System.nanoTime() - start;
			assertThat(value).isEqualTo(n * 2);
		}
		Arrays.sort(nanos);
		return nanos[(int) (CALLS * 0.99) - 1];
	}

}
