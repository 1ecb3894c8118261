package io.github.optimization.llm;

import java.time.Duration;

import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.autoconfigure.llm.LlmAutoConfiguration;
import io.github.optimization.llm.LlmFixtures.Answer;
import io.github.optimization.llm.LlmFixtures.Assistant;
import io.github.optimization.llm.LlmFixtures.Question;
import io.github.optimization.llm.springai.ChatResponseCacheAdvisor;
import io.github.optimization.test.BootAutoConfigurations;
import io.github.optimization.test.redis.RedisServerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances sharing one Redis: the second serves the first's response
 * from Redis, decoded into the declared type, and counts it as saved.
 */
class CachedLlmResponseRedisTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner instance = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.REDIS, AopAutoConfiguration.class,
				TieredCacheAutoConfiguration.class, LlmAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"optimization.cache.invalidation.enabled=false", "optimization.llm.pricing.gpt-4o-mini.input=0.15",
				"optimization.llm.pricing.gpt-4o-mini.output=0.60")
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(Assistant.class);

	@BeforeEach
	void flush() {
		redis.flushAll();
	}

	@Test
	void anotherInstanceServesTheResponseFromRedisAndCountsItAsSaved() {
		this.instance.run((first) -> this.instance.run((second) -> {
			Answer answer = first.getBean(Assistant.class).ask(Question.of("shared"));
			Answer fromRedis = second.getBean(Assistant.class).ask(Question.of("shared"));
			assertThat(fromRedis).isEqualTo(answer).isNotSameAs(answer);
			assertThat(second.getBean(Assistant.class).calls()).isZero();
			MeterRegistry meters = second.getBean(MeterRegistry.class);
			assertThat(meters.get("optimization.llm.calls")
				.tag("model", "gpt-4o-mini")
				.tag("result", "hit")
				.counter()
				.count()).isEqualTo(1);
			assertThat(meters.get("optimization.llm.tokens.saved")
				.tag("model", "gpt-4o-mini")
				.tag("type", "input")
				.counter()
				.count()).isEqualTo(1200);
			assertThat(meters.get("optimization.llm.cost.saved").tag("model", "gpt-4o-mini").functionCounter().count())
				.isEqualTo(0.00036);
			assertThat(meters.get("optimization.llm.cost.spent").tag("model", "gpt-4o-mini").functionCounter().count())
				.isZero();
		}));
	}

	@Test
	void asynchronousResultsDecodeIntoTheDeclaredInnerType() {
		this.instance.run((first) -> this.instance.run((second) -> {
			first.getBean(Assistant.class).askAsync(Question.of("f")).get();
			first.getBean(Assistant.class).askMono(Question.of("m")).block(WAIT);
			Assistant other = second.getBean(Assistant.class);
			assertThat(other.askAsync(Question.of("f")).get()).isInstanceOf(Answer.class);
			assertThat(other.askMono(Question.of("m")).block(WAIT)).isInstanceOf(Answer.class);
			assertThat(other.calls()).isZero();
		}));
	}

	@Test
	void chatClientResponsesAreSharedThroughRedis() {
		this.instance.run((first) -> this.instance.run((second) -> {
			int[] calls = new int[1];
			org.springframework.ai.chat.model.ChatModel model = (prompt) -> {
				calls[0]++;
				return new ChatResponse(java.util.List.of(new Generation(new AssistantMessage("hello"))),
						ChatResponseMetadata.builder().model("gpt-4o-mini").usage(new DefaultUsage(1200, 300)).build());
			};
			ChatClient.builder(model)
				.defaultAdvisors(first.getBean(ChatResponseCacheAdvisor.class))
				.build()
				.prompt()
				.user("hi")
				.call()
				.content();
			String text = ChatClient.builder(model)
				.defaultAdvisors(second.getBean(ChatResponseCacheAdvisor.class))
				.build()
				.prompt()
				.user("hi")
				.call()
				.content();
			assertThat(text).isEqualTo("hello");
			assertThat(calls[0]).isEqualTo(1);
			assertThat(second.getBean(MeterRegistry.class)
				.get("optimization.llm.tokens.saved")
				.tag("model", "gpt-4o-mini")
				.tag("type", "output")
				.counter()
				.count()).isEqualTo(300);
		}));
	}

}
