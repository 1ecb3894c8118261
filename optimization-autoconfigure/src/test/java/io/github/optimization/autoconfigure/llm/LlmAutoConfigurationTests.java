package io.github.optimization.autoconfigure.llm;

import io.github.optimization.InvalidSettingException;
import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.llm.CachedLlmResponseAdvisor;
import io.github.optimization.llm.LlmCallRecorder;
import io.github.optimization.llm.LlmMeters;
import io.github.optimization.llm.LlmPricing;
import io.github.optimization.llm.LlmUsage;
import io.github.optimization.llm.LlmUsageExtractor;
import io.github.optimization.llm.LlmUsageResolver;
import io.github.optimization.llm.TokenUsage;
import io.github.optimization.llm.springai.ChatResponseCacheAdvisor;
import io.github.optimization.llm.springai.ChatResponseUsageExtractor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

class LlmAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TieredCacheAutoConfiguration.class, LlmAutoConfiguration.class));

	@Test
	void registersTheAnnotationSupportPricingAndSpringAiParts() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(CachedLlmResponseAdvisor.class)
				.hasSingleBean(LlmPricing.class)
				.hasSingleBean(LlmUsageResolver.class)
				.hasSingleBean(ChatResponseUsageExtractor.class)
				.hasSingleBean(ChatResponseCacheAdvisor.class)
				.hasBean("chatResponseCacheChatClientCustomizer");
			assertThat(context.getBean(LlmCallRecorder.class)).as("no registry: nothing recorded")
				.isSameAs(LlmCallRecorder.NONE);
		});
	}

	@Test
	void recordsMetersWhenARegistryExists() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context.getBean(LlmCallRecorder.class)).isInstanceOf(LlmMeters.class));
	}

	@Test
	void backsOffWhenSwitchedOff() {
		this.runner.withPropertyValues("optimization.llm.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CachedLlmResponseAdvisor.class)
				.doesNotHaveBean(LlmPricing.class)
				.doesNotHaveBean(ChatResponseCacheAdvisor.class));
		this.runner.withPropertyValues("optimization.llm.spring-ai.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(CachedLlmResponseAdvisor.class)
				.doesNotHaveBean(ChatResponseCacheAdvisor.class)
				.doesNotHaveBean(ChatClientCustomizer.class));
	}

	@Test
	void backsOffWhenUserDefinesBeans() {
		LlmCallRecorder own = (response, model, providerCalled) -> {
		};
		this.runner.withBean(LlmCallRecorder.class, () -> own)
			.withBean(LlmPricing.class, () -> new LlmPricing(java.util.Map.of()))
			.run((context) -> {
				assertThat(context.getBean(LlmCallRecorder.class)).isSameAs(own);
				assertThat(context.getBean(LlmPricing.class).models()).isEmpty();
			});
	}

	@Test
	void startsWithoutSpringAi() {
		this.runner.withClassLoader(new FilteredClassLoader(ChatClient.class, ChatResponse.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(CachedLlmResponseAdvisor.class)
				.doesNotHaveBean(ChatResponseUsageExtractor.class)
				.doesNotHaveBean(ChatResponseCacheAdvisor.class));
	}

	@Test
	void startsWithoutReactor() {
		this.runner.withClassLoader(new FilteredClassLoader(Mono.class))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(CachedLlmResponseAdvisor.class));
	}

	@Test
	void aZeroSpringAiTtlFailsAtStartupNamingTheProperty() {
		this.runner.withPropertyValues("optimization.llm.spring-ai.ttl=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("optimization.llm.spring-ai.ttl");
		});
	}

	@Test
	void negativePricesFailAtStartupNamingTheProperty() {
		this.runner.withPropertyValues("optimization.llm.pricing.gpt-4o.input=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("optimization.llm.pricing.gpt-4o.input");
		});
	}

	@Test
	void bindsPricesOfModelNamesWithDotsInBrackets() {
		this.runner
			.withPropertyValues("optimization.llm.pricing.[gpt-4.1].input=2.00",
					"optimization.llm.pricing.[gpt-4.1].output=8.00")
			.run((context) -> {
				LlmPricing pricing = context.getBean(LlmPricing.class);
				assertThat(pricing.models()).containsExactly("gpt-4.1");
				assertThat(pricing.tag("gpt-4.1-2025-04-14")).isEqualTo("gpt-4.1");
				assertThat(pricing.price("gpt-4.1").output()).isEqualByComparingTo("8");
			});
	}

	@Test
	void asksUserExtractorsInOrderBeforeSpringAis() {
		this.runner.withBean("late", LlmUsageExtractor.class, () -> new Late())
			.withBean("early", LlmUsageExtractor.class, () -> new Early())
			.run((context) -> {
				LlmUsage usage = context.getBean(LlmUsageResolver.class).resolve("response");
				assertThat(usage.model()).isEqualTo("early");
			});
	}

	@Order(2)
	static class Late implements LlmUsageExtractor {

		@Override
		public LlmUsage extract(Object response) {
			return new TokenUsage("late", 1, 1);
		}

	}

	@Order(1)
	static class Early implements LlmUsageExtractor {

		@Override
		public LlmUsage extract(Object response) {
			return new TokenUsage("early", 1, 1);
		}

	}

}
