package io.github.optimization.llm.springai;

import java.util.List;

import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.autoconfigure.llm.LlmAutoConfiguration;
import io.github.optimization.llm.LlmCacheControl;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ChatResponseCacheAdvisorTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TieredCacheAutoConfiguration.class, LlmAutoConfiguration.class))
		.withPropertyValues("optimization.llm.pricing.gpt-4o-mini.input=0.15",
				"optimization.llm.pricing.gpt-4o-mini.output=0.60")
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void aRepeatedCallIsServedFromTheCacheAsARebuiltResponse() {
		this.runner.run((context) -> {
			FakeChatModel model = new FakeChatModel();
			ChatClient client = ChatClient.builder(model)
				.defaultAdvisors(context.getBean(ChatResponseCacheAdvisor.class))
				.build();
			ChatResponse first = client.prompt().system("Be terse.").user("hi").call().chatResponse();
			ChatResponse second = client.prompt().system("Be terse.").user("hi").call().chatResponse();
			assertThat(model.calls()).isEqualTo(1);
			assertThat(second.getResult().getOutput().getText()).isEqualTo(first.getResult().getOutput().getText());
			assertThat(second.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
			assertThat(second.getMetadata().getModel()).isEqualTo("gpt-4o-mini-2024-07-18");
			assertThat(second.getMetadata().getUsage().getPromptTokens()).isEqualTo(1200);
			assertThat((Boolean) second.getMetadata().get(CachedChatResponse.CACHE_HIT_KEY)).isTrue();
			assertThat(first.getMetadata().containsKey(CachedChatResponse.CACHE_HIT_KEY)).isFalse();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("optimization.llm.calls")
				.tag("model", "gpt-4o-mini")
				.tag("result", "miss")
				.counter()
				.count()).isEqualTo(1);
			assertThat(meters.get("optimization.llm.tokens.saved")
				.tag("model", "gpt-4o-mini")
				.tag("type", "output")
				.counter()
				.count()).isEqualTo(300);
			assertThat(meters.get("optimization.llm.cost.saved").tag("model", "gpt-4o-mini").functionCounter().count())
				.isEqualTo(0.00036);
		});
	}

	@Test
	void theKeyCoversMessagesTheirTypesAndTheOptions() {
		this.runner.run((context) -> {
			FakeChatModel model = new FakeChatModel();
			ChatClient client = ChatClient.builder(model)
				.defaultAdvisors(context.getBean(ChatResponseCacheAdvisor.class))
				.build();
			client.prompt().system("A").user("hi").call().content();
			client.prompt().system("B").user("hi").call().content();
			client.prompt().user("A").user("hi").call().content();
			withOptions(client, ChatOptions.builder().model("gpt-4o").build());
			withOptions(client, ChatOptions.builder().temperature(0.9).build());
			assertThat(model.calls()).isEqualTo(5);
			withOptions(client, ChatOptions.builder().temperature(0.9).build());
			client.prompt().system("A").user("hi").call().content();
			assertThat(model.calls()).isEqualTo(5);
		});
	}

	@Test
	void perCallControlsApply() {
		this.runner.run((context) -> {
			FakeChatModel model = new FakeChatModel();
			ChatClient client = ChatClient.builder(model)
				.defaultAdvisors(context.getBean(ChatResponseCacheAdvisor.class))
				.build();
			client.prompt().user("q").call().content();
			LlmCacheControl.bypass(() -> client.prompt().user("q").call().content());
			assertThat(model.calls()).isEqualTo(2);
			String refreshed = LlmCacheControl.refresh(() -> client.prompt().user("q").call().chatResponse())
				.getMetadata()
				.getId();
			assertThat(client.prompt().user("q").call().chatResponse().getMetadata().getId()).isEqualTo(refreshed);
			LlmCacheControl.noStore(() -> client.prompt().user("other").call().content());
			client.prompt().user("other").call().content();
			assertThat(model.calls()).isEqualTo(5);
		});
	}

	@Test
	void theCustomizerAddsTheAdvisorToChatClientBuilders() {
		this.runner.run((context) -> {
			FakeChatModel model = new FakeChatModel();
			ChatClient.Builder builder = ChatClient.builder(model);
			context.getBeanProvider(ChatClientCustomizer.class).orderedStream().forEach((c) -> c.customize(builder));
			ChatClient client = builder.build();
			client.prompt().user("x").call().content();
			client.prompt().user("x").call().content();
			assertThat(model.calls()).isEqualTo(1);
		});
	}

	@Test
	void streamingPassesThrough() {
		this.runner.run((context) -> {
			FakeChatModel model = new FakeChatModel();
			ChatClient client = ChatClient.builder(model)
				.defaultAdvisors(context.getBean(ChatResponseCacheAdvisor.class))
				.build();
			client.prompt().user("s").stream().content().collectList().block();
			client.prompt().user("s").stream().content().collectList().block();
			assertThat(model.calls()).isEqualTo(2);
		});
	}

	@Test
	void aStaleResponseIsServedAtOnceAndRefreshedThroughTheRestOfTheChainInTheBackground() {
		io.github.optimization.cache.FakeTicker ticker = new io.github.optimization.cache.FakeTicker();
		java.util.concurrent.ConcurrentLinkedQueue<Runnable> background = new java.util.concurrent.ConcurrentLinkedQueue<>();
		this.runner
			.withPropertyValues("optimization.cache.caches.llm-responses.ttl=10m",
					"optimization.cache.caches.llm-responses.ttl-jitter=0",
					"optimization.cache.caches.llm-responses.stale-while-revalidate=5m")
			.withBean(io.github.optimization.autoconfigure.cache.TieredCacheManagerCustomizer.class,
					() -> (builder) -> builder.ticker(ticker).asyncExecutor(background::add))
			.run((context) -> {
				FakeChatModel model = new FakeChatModel();
				ChatClient client = ChatClient.builder(model)
					.defaultAdvisors(context.getBean(ChatResponseCacheAdvisor.class))
					.build();
				String first = client.prompt().user("q").call().chatResponse().getMetadata().getId();
				ticker.advance(java.time.Duration.ofMinutes(11));
				assertThat(client.prompt().user("q").call().chatResponse().getMetadata().getId()).isEqualTo(first);
				assertThat(model.calls()).isEqualTo(1);
				background.forEach(Runnable::run);
				assertThat(model.calls()).as("refreshed in the background").isEqualTo(2);
				assertThat(client.prompt().user("q").call().chatResponse().getMetadata().getId()).isNotEqualTo(first);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("optimization.llm.calls")
					.tag("model", "gpt-4o-mini")
					.tag("result", "miss")
					.counter()
					.count()).isEqualTo(1);
				assertThat(meters.get("optimization.llm.tokens.spent")
					.tag("model", "gpt-4o-mini")
					.tag("type", "input")
					.counter()
					.count()).as("the first call and the background refresh").isEqualTo(2 * 1200);
			});
	}

	/**
	 * System "A", user "hi" and the options, as a prompt (Spring AI 1.1 and 2.0 take
	 * options differently).
	 */
	private static void withOptions(ChatClient client, ChatOptions options) {
		client.prompt(new Prompt(List.of(new SystemMessage("A"), new UserMessage("hi")), options)).call().content();
	}

}
