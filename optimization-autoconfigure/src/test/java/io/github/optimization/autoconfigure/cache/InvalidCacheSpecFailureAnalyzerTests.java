package io.github.optimization.autoconfigure.cache;

import io.github.optimization.autoconfigure.jdbc.JdbcOptimizationAutoConfiguration;
import io.github.optimization.autoconfigure.llm.LlmAutoConfiguration;
import io.github.optimization.test.BootAutoConfigurations;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Out-of-range settings of every part of the starter fail startup with a report naming
 * the property, its value and what it must be.
 */
class InvalidCacheSpecFailureAnalyzerTests {

	private final ApplicationContextRunner jdbc = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, JdbcOptimizationAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:invalid-settings");

	private final ApplicationContextRunner llm = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TieredCacheAutoConfiguration.class, LlmAutoConfiguration.class));

	@Test
	void poolMaximumSizeBelowTheMinimumIsExplained() {
		assertFailure(this.jdbc.withPropertyValues("optimization.jdbc.pool.maximum-size=-1"),
				"The database configuration is invalid: optimization.jdbc.pool.maximum-size must be at least "
						+ "optimization.jdbc.pool.minimum-size (4), was -1",
				"Change 'optimization.jdbc.pool.maximum-size' in your configuration (see docs/database.md).");
	}

	@Test
	void poolTimeoutsBelowHikarisFloorsAreExplained() {
		assertFailure(this.jdbc.withPropertyValues("optimization.jdbc.pool.connection-timeout=100ms"),
				"optimization.jdbc.pool.connection-timeout must be at least 250ms (HikariCP's floor), was PT0.1S",
				"'optimization.jdbc.pool.connection-timeout'");
		assertFailure(this.jdbc.withPropertyValues("optimization.jdbc.pool.keepalive-time=10s"),
				"optimization.jdbc.pool.keepalive-time must be 0 (off) or at least 30s (HikariCP's floor), was PT10S",
				"'optimization.jdbc.pool.keepalive-time'");
		assertFailure(this.jdbc.withPropertyValues("optimization.jdbc.pool.leak-detection-threshold=-1s"),
				"optimization.jdbc.pool.leak-detection-threshold must be 0 (off) or at least 2s (HikariCP's floor), "
						+ "was PT-1S",
				"'optimization.jdbc.pool.leak-detection-threshold'");
	}

	@Test
	void expectedInstancesBelowOneIsExplained() {
		assertFailure(this.jdbc.withPropertyValues("optimization.jdbc.pool.expected-instances=0"),
				"optimization.jdbc.pool.expected-instances must be at least 1, was 0",
				"'optimization.jdbc.pool.expected-instances'");
	}

	@Test
	void invalidReplicaSettingsAreExplained() {
		assertFailure(
				this.jdbc.withPropertyValues("optimization.jdbc.replicas[0].url=jdbc:h2:mem:replica",
						"optimization.jdbc.replicas[0].maximum-pool-size=0"),
				"optimization.jdbc.replicas[0].maximum-pool-size must be at least 1 (or unset for the primary's "
						+ "size), was 0",
				"'optimization.jdbc.replicas[0].maximum-pool-size'");
		assertFailure(
				this.jdbc.withPropertyValues("optimization.jdbc.replicas[0].url=jdbc:h2:mem:replica",
						"optimization.jdbc.replica-retry-interval=-1s"),
				"optimization.jdbc.replica-retry-interval must not be negative, was PT-1S",
				"'optimization.jdbc.replica-retry-interval'");
	}

	@Test
	void negativePriceIsExplained() {
		assertFailure(this.llm.withPropertyValues("optimization.llm.pricing.gpt-4o.input=-1"),
				"The LLM configuration is invalid: optimization.llm.pricing.gpt-4o.input must be 0 or more "
						+ "(USD per million tokens), was -1",
				"Change 'optimization.llm.pricing.gpt-4o.input' in your configuration (see docs/llm.md).");
	}

	@Test
	void invalidSpringAiSettingsAreExplained() {
		assertFailure(this.llm.withPropertyValues("optimization.llm.spring-ai.ttl=0s"),
				"optimization.llm.spring-ai.ttl must be at least 1ms (e.g. 24h), or left unset for the cache's TTL, "
						+ "was PT0S",
				"'optimization.llm.spring-ai.ttl'");
		assertFailure(this.llm.withPropertyValues("optimization.llm.spring-ai.cache="),
				"optimization.llm.spring-ai.cache must name a cache (default llm-responses), was ''",
				"'optimization.llm.spring-ai.cache'");
	}

	@Test
	void negativeDynamicLimitIsExplained() {
		assertFailure(this.llm.withPropertyValues("optimization.cache.dynamic-limit=-1"),
				"The cache configuration is invalid: optimization.cache.dynamic-limit must not be negative, was -1",
				"Change 'optimization.cache.dynamic-limit' in your configuration (see docs/configuration.md).");
	}

	private static void assertFailure(ApplicationContextRunner runner, String description, String action) {
		runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidCacheSpecFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains(description);
			assertThat(analysis.getAction()).contains(action);
		});
	}

}
