package io.github.optimization.autoconfigure;

import java.util.Map;

import com.example.userapp.UserProperties;

import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.autoconfigure.jdbc.JdbcOptimizationAutoConfiguration;
import io.github.optimization.autoconfigure.llm.LlmAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Keys under the starter's prefixes that name no setting fail startup with the nearest
 * valid name.
 */
class UnknownSettingFailureAnalyzerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(TieredCacheAutoConfiguration.class, JdbcOptimizationAutoConfiguration.class, LlmAutoConfiguration.class));

	@Test
	void misspelledSettingOfACacheFailsWithTheNearestValidName() {
		this.runner.withPropertyValues("optimization.cache.caches.products.tll=5m")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("optimization.cache.caches.products.tll is not a known setting; "
						+ "did you mean optimization.cache.caches.products.ttl?"));
	}

	@Test
	void misspelledSettingOfANestedGroupInACacheFails() {
		this.runner.withPropertyValues("optimization.cache.caches.products.l1.max-size=5")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("optimization.cache.caches.products.l1.max-size is not a known setting; "
						+ "did you mean optimization.cache.caches.products.l1.maximum-size?"));
	}

	@Test
	void misspelledNestedGroupIsCorrectedWithTheRestOfTheName() {
		this.runner.withPropertyValues("optimization.cache.redis.circuit-breakr.sliding-window-size=5")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("did you mean optimization.cache.redis.circuit-breaker.sliding-window-size?"));
	}

	@Test
	void unknownTopLevelJdbcSettingFails() {
		this.runner.withPropertyValues("optimization.jdbc.slow-query-treshold=200ms")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("optimization.jdbc.slow-query-treshold is not a known setting; "
						+ "did you mean optimization.jdbc.slow-query-threshold?"));
	}

	@Test
	void unknownSettingWithoutACloseNameListsTheSettingsOfItsLevel() {
		this.runner.withPropertyValues("optimization.jdbc.pool.colour=blue")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("optimization.jdbc.pool.colour is not a known setting; the settings under "
						+ "optimization.jdbc.pool are connection-timeout, expected-instances,")
				.doesNotContain("did you mean"));
	}

	@Test
	void misspelledSettingOfAReplicaFails() {
		this.runner.withPropertyValues("optimization.jdbc.replicas[0].uri=jdbc:h2:mem:replica")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("did you mean optimization.jdbc.replicas[0].url?"));
	}

	@Test
	void modelNameWithADotOutsideBracketsIsShownInBrackets() {
		this.runner.withPropertyValues("optimization.llm.pricing.gpt-4.1.input=2")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("optimization.llm.pricing.gpt-4.1.input is not a known setting; "
						+ "did you mean optimization.llm.pricing.[gpt-4.1].input?"));
	}

	@Test
	void everyMisspelledSettingIsReported() {
		this.runner
			.withPropertyValues("optimization.cache.defaults.tll=5m", "optimization.cache.dynamic-limt=5",
					"optimization.cache.caches.products.ttl=5m")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("did you mean optimization.cache.defaults.ttl?")
				.contains("did you mean optimization.cache.dynamic-limit?")
				.doesNotContain("products"));
	}

	@Test
	void correctSettingsStart() {
		this.runner
			.withPropertyValues("optimization.cache.defaults.ttl=1h", "optimization.cache.defaults.l1.maximum-size=500",
					"optimization.cache.caches.products.ttl=5m", "optimization.cache.caches.products.l1.maximum-size=5",
					"optimization.cache.caches.products.cluster-single-flight.enabled=true",
					"optimization.cache.caches[with.dot].ttl=1m",
					"optimization.cache.codec.allowed-packages[0]=com.acme",
					"optimization.cache.redis.circuit-breaker.sliding-window-size=30",
					"optimization.cache.invalidation.ping-interval=2s", "optimization.cache.refresh.threads=2",
					"optimization.jdbc.slow-query-threshold=0", "optimization.jdbc.pool.maximum-size=9",
					"optimization.jdbc.replica-retry-interval=10s", "optimization.llm.pricing.gpt-4o.input=2.5",
					"optimization.llm.pricing.[gpt-4.1].output=8", "optimization.llm.spring-ai.ttl=1h",
					// Relaxed forms bind as usual.
					"optimization.cache.caches.products.nullTtl=1m", "optimization.jdbc.pool.expected_instances=2")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void keysOfOtherPrefixesAreLeftAlone() {
		this.runner
			.withPropertyValues("spring.cache.tll=5m", "acme.caches.products.tll=5m", "optimization-extra.tll=1",
					"optimizations.cache.tll=1")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void unknownKeysOfOtherStrictPropertiesAreLeftToSpringBoot() {
		MapConfigurationPropertySource source = new MapConfigurationPropertySource(Map.of("spring.cache.tll", "5m"));
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> new Binder(source).bind("spring.cache", Bindable.of(UserProperties.class),
					new NoUnboundElementsBindHandler(BindHandler.DEFAULT)))
			.satisfies((ex) -> assertThat(new UnknownSettingFailureAnalyzer().analyze(ex)).isNull());
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void springBootReportsTheSuggestionInsteadOfItsOwnAnalysis(CapturedOutput output) {
		SpringApplication application = new SpringApplication(CacheApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("optimization.cache.caches.products.tll", "5m"));
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("did you mean optimization.cache.caches.products.ttl?")
			.contains("Correct the name of the setting or remove it")
			.doesNotContain("were left unbound");
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new UnknownSettingFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		assertThat(analysis.getAction()).contains("Correct the name of the setting or remove it");
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(TieredCacheAutoConfiguration.class)
	static class CacheApplication {

	}

}
