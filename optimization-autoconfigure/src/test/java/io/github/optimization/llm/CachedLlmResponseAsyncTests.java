package io.github.optimization.llm;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.autoconfigure.llm.LlmAutoConfiguration;
import io.github.optimization.llm.LlmFixtures.Answer;
import io.github.optimization.llm.LlmFixtures.Assistant;
import io.github.optimization.llm.LlmFixtures.Question;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class CachedLlmResponseAsyncTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				LlmAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(Assistant.class);

	@Test
	void completableFutureResultsAreCachedAndCountedWhenTheyComplete() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			Answer first = assistant.askAsync(Question.of("q")).get();
			Answer second = assistant.askAsync(Question.of("q")).get();
			assertThat(second).isEqualTo(first);
			assertThat(assistant.calls()).isEqualTo(1);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("optimization.llm.calls").tag("result", "hit").counter().count()).isEqualTo(1);
			assertThat(meters.get("optimization.llm.calls").tag("result", "miss").counter().count()).isEqualTo(1);
		});
	}

	@Test
	void emptyFuturesAreNotStored() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			assertThat(assistant.askAsyncEmpty("q").get()).isNull();
			assertThat(assistant.askAsyncEmpty("q").get()).isNull();
			assertThat(assistant.calls()).isEqualTo(2);
		});
	}

	@Test
	void monoIsLazyAndCachedPerSubscription() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			Mono<Answer> mono = assistant.askMono(Question.of("m"));
			assertThat(assistant.bodies()).as("nothing runs before subscription").isZero();
			assertThat(assistant.calls()).isZero();
			Answer first = mono.block(WAIT);
			assertThat(assistant.bodies()).isEqualTo(1);
			assertThat(mono.block(WAIT)).as("a second subscription hits").isEqualTo(first);
			assertThat(assistant.askMono(Question.of("m")).block(WAIT)).isEqualTo(first);
			assertThat(assistant.calls()).isEqualTo(1);
			assertThat(assistant.bodies()).isEqualTo(1);
		});
	}

	@Test
	void emptyMonosAreNotStored() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			assertThat(assistant.askMonoEmpty("e").blockOptional(WAIT)).isEmpty();
			assertThat(assistant.askMonoEmpty("e").blockOptional(WAIT)).isEmpty();
			assertThat(assistant.calls()).isEqualTo(2);
		});
	}

	@Test
	void asynchronousCallsKeepTheModeTheyWereCalledWith() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			assistant.askMono(Question.of("k")).block(WAIT);
			assistant.askAsync(Question.of("k")).get();
			Mono<Answer> refreshed;
			try (LlmCacheControl.Scope scope = LlmCacheControl.refresh()) {
				refreshed = assistant.askMono(Question.of("k"));
			}
			assertThat(assistant.calls()).as("the Mono has not run yet").isEqualTo(2);
			CompletableFuture<Answer> bypassed;
			try (LlmCacheControl.Scope scope = LlmCacheControl.bypass()) {
				bypassed = assistant.askAsync(Question.of("k"));
			}
			refreshed.block(WAIT);
			bypassed.get();
			assertThat(assistant.calls()).as("both called the provider although the entry was cached").isEqualTo(4);
		});
	}

}
