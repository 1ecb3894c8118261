package io.github.optimization.llm;

import io.github.optimization.cache.annotation.CachedLlmResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.autoconfigure.llm.LlmAutoConfiguration;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.llm.LlmFixtures.Answer;
import io.github.optimization.llm.LlmFixtures.Assistant;
import io.github.optimization.llm.LlmFixtures.Opaque;
import io.github.optimization.llm.LlmFixtures.Question;
import io.github.optimization.test.BootAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CachedLlmResponseTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				LlmAutoConfiguration.class))
		.withPropertyValues("optimization.llm.pricing.gpt-4o-mini.input=0.15",
				"optimization.llm.pricing.gpt-4o-mini.output=0.60")
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(Assistant.class);

	@Test
	void secondEqualRequestIsServedFromTheCache() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			Answer first = assistant.ask(Question.of("hello"));
			assertThat(assistant.ask(Question.of("hello"))).isEqualTo(first);
			assertThat(assistant.calls()).isEqualTo(1);
		});
	}

	@Test
	void requestsDifferingOnlyInSystemPromptModelOrTemperatureGetTheirOwnEntries() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			Question base = Question.of("hello");
			assistant.ask(base);
			assistant.ask(base.withSystem("You are verbose."));
			assistant.ask(base.withModel("gpt-4o"));
			assistant.ask(base.withTemperature(0.9));
			assertThat(assistant.calls()).isEqualTo(4);
			assistant.ask(base);
			assistant.ask(base.withSystem("You are verbose."));
			assistant.ask(base.withModel("gpt-4o"));
			assistant.ask(base.withTemperature(0.9));
			assertThat(assistant.calls()).isEqualTo(4);
			assertThat(((TieredCache) context.getBean(TieredCacheManager.class).getCache("answers")).estimatedL1Size())
				.isEqualTo(4);
		});
	}

	@Test
	void equalRequestsBuiltDifferentlyShareOneEntry() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			Map<String, Object> hash = new HashMap<>();
			hash.put("prompt", "hi");
			hash.put("model", "gpt-4o-mini");
			hash.put("max_tokens", 100);
			Map<String, Object> linked = new LinkedHashMap<>();
			linked.put("max_tokens", 100L);
			linked.put("model", "gpt-4o-mini");
			linked.put("prompt", "hi");
			assistant.askMap(hash);
			assistant.askMap(linked);
			assertThat(assistant.calls()).isEqualTo(1);
		});
	}

	@Test
	void emptyOptionalsAndNullsAreNotStored() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			assertThat(assistant.find("none")).isEmpty();
			assertThat(assistant.find("none")).isEmpty();
			assertThat(assistant.nullable("null")).isNull();
			assertThat(assistant.nullable("null")).isNull();
			assertThat(assistant.calls()).isEqualTo(4);
			assertThat(assistant.find("x")).isPresent();
			assertThat(assistant.find("x")).isPresent();
			assertThat(assistant.calls()).isEqualTo(5);
		});
	}

	@Test
	void anExplicitKeyNarrowsTheKeyAndTheModelExpressionNamesTheModel() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			assistant.narrowed(Question.of("same"));
			assistant.narrowed(Question.of("same").withSystem("ignored by the key"));
			assertThat(assistant.calls()).isEqualTo(1);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("optimization.llm.calls")
				.tag("model", "gpt-4o-mini")
				.tag("result", "hit")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void anArgumentWithoutCanonicalFormFailsAtTheCallNamingMethodAndParameter() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			assertThatIllegalArgumentException().isThrownBy(() -> assistant.opaque("p", new Opaque()))
				.withMessageContaining("Assistant.opaque")
				.withMessageContaining("parameter 'context'")
				.withMessageContaining("key = \"{#prompt}\"");
			assertThat(assistant.calls()).isZero();
		});
	}

	@Test
	void countsCallsTokensAndExactCostByModel() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			assistant.ask(Question.of("a"));
			assistant.ask(Question.of("b"));
			assistant.ask(Question.of("a"));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(count(meters, "optimization.llm.calls", "result", "miss")).isEqualTo(2);
			assertThat(count(meters, "optimization.llm.calls", "result", "hit")).isEqualTo(1);
			assertThat(count(meters, "optimization.llm.tokens.spent", "type", "input")).isEqualTo(2400);
			assertThat(count(meters, "optimization.llm.tokens.spent", "type", "output")).isEqualTo(600);
			assertThat(count(meters, "optimization.llm.tokens.saved", "type", "input")).isEqualTo(1200);
			assertThat(count(meters, "optimization.llm.tokens.saved", "type", "output")).isEqualTo(300);
			// 1200 × 0.15 / 1e6 + 300 × 0.60 / 1e6 = 0.00036 per call.
			assertThat(meters.get("optimization.llm.cost.spent").tag("model", "gpt-4o-mini").functionCounter().count())
				.isEqualTo(0.00072);
			assertThat(meters.get("optimization.llm.cost.saved").tag("model", "gpt-4o-mini").functionCounter().count())
				.isEqualTo(0.00036);
		});
	}

	@Test
	void unpricedModelsAreCountedAsOtherAtNoCost() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			assistant.ask(Question.of("a").withModel("some-local-model"));
			assistant.ask(Question.of("a").withModel("some-local-model"));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("optimization.llm.tokens.saved")
				.tag("model", "other")
				.tag("type", "input")
				.counter()
				.count()).isEqualTo(1200);
			assertThat(meters.get("optimization.llm.cost.saved").tag("model", "other").functionCounter().count())
				.isZero();
			assertThat(meters.find("optimization.llm.calls").tag("model", "some-local-model").counters()).isEmpty();
		});
	}

	@Test
	void worksOverAnotherSpringCacheManager() {
		this.runner.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.CACHE))
			.withUserConfiguration(CachingEnabled.class)
			.withPropertyValues("spring.cache.type=simple")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(TieredCacheManager.class);
				Assistant assistant = context.getBean(Assistant.class);
				assistant.ask(Question.of("a"));
				assistant.ask(Question.of("a"));
				assertThat(assistant.calls()).isEqualTo(1);
			});
	}

	@Test
	void invalidAnnotationsFailAtStartupNamingTheMethodAndWhatToChange() {
		assertStartupFailure(BadTtl.class, "BadTtl.ask", "ttl 'soon'");
		assertStartupFailure(BadSpel.class, "BadSpel.ask", "key '#q.'", "not valid SpEL");
		assertStartupFailure(UnknownParameter.class, "UnknownParameter.ask", "#request", "#question");
		assertStartupFailure(VoidResult.class, "VoidResult.ask", "no response to cache");
		assertStartupFailure(StreamParameter.class, "StreamParameter.ask", "parameter 'parts'", "key = \"{#prompt}\"");
	}

	private void assertStartupFailure(Class<?> service, String... messages) {
		this.runner.withBean(service).run((context) -> {
			assertThat(context).hasFailed();
			StringBuilder chain = new StringBuilder();
			for (Throwable ex = context.getStartupFailure(); ex != null; ex = ex.getCause()) {
				chain.append(ex.getMessage()).append('\n');
			}
			assertThat(chain).contains(messages);
		});
	}

	private static double count(MeterRegistry meters, String name, String tag, String value) {
		return meters.get(name).tag("model", "gpt-4o-mini").tag(tag, value).counter().count();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingEnabled {

	}

	public static class BadTtl {

		@CachedLlmResponse(ttl = "soon")
		public String ask(String prompt) {
			return prompt;
		}

	}

	public static class BadSpel {

		@CachedLlmResponse(key = "#q.")
		public String ask(String q) {
			return q;
		}

	}

	public static class UnknownParameter {

		@CachedLlmResponse(model = "#request.model")
		public String ask(Question question) {
			return "x";
		}

	}

	public static class VoidResult {

		@CachedLlmResponse
		public void ask(String prompt) {
		}

	}

	public static class StreamParameter {

		@CachedLlmResponse
		public String ask(String prompt, Stream<String> parts) {
			return prompt;
		}

	}

}
