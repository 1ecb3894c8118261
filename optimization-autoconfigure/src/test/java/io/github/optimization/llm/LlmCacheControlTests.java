package io.github.optimization.llm;

import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.autoconfigure.llm.LlmAutoConfiguration;
import io.github.optimization.llm.LlmFixtures.Answer;
import io.github.optimization.llm.LlmFixtures.Assistant;
import io.github.optimization.llm.LlmFixtures.Question;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class LlmCacheControlTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				LlmAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(Assistant.class);

	@Test
	void bypassNeitherReadsNorStores() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			assistant.ask(Question.of("a"));
			LlmCacheControl.bypass(() -> assistant.ask(Question.of("a")));
			LlmCacheControl.bypass(() -> assistant.ask(Question.of("b")));
			assertThat(assistant.calls()).isEqualTo(3);
			assistant.ask(Question.of("b"));
			assertThat(assistant.calls()).as("the bypassed response was not stored").isEqualTo(4);
			assertThat(context.getBean(MeterRegistry.class)
				.get("optimization.llm.calls")
				.tag("result", "miss")
				.counter()
				.count()).isEqualTo(4);
		});
	}

	@Test
	void refreshCallsTheProviderAndReplacesTheEntry() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			Answer old = assistant.ask(Question.of("a"));
			Answer fresh;
			try (LlmCacheControl.Scope scope = LlmCacheControl.refresh()) {
				fresh = assistant.ask(Question.of("a"));
			}
			assertThat(fresh).isNotSameAs(old);
			assertThat(assistant.ask(Question.of("a"))).isSameAs(fresh);
			assertThat(assistant.calls()).isEqualTo(2);
		});
	}

	@Test
	void noStoreReadsButDoesNotStore() {
		this.runner.run((context) -> {
			Assistant assistant = context.getBean(Assistant.class);
			assistant.ask(Question.of("cached"));
			LlmCacheControl.noStore(() -> assistant.ask(Question.of("cached")));
			assertThat(assistant.calls()).as("read").isEqualTo(1);
			LlmCacheControl.noStore(() -> assistant.ask(Question.of("new")));
			assistant.ask(Question.of("new"));
			assertThat(assistant.calls()).as("not stored").isEqualTo(3);
		});
	}

	@Test
	void scopesNestAndRestore() {
		assertThat(LlmCacheControl.current()).isEqualTo(LlmCacheMode.DEFAULT);
		try (LlmCacheControl.Scope outer = LlmCacheControl.noStore()) {
			try (LlmCacheControl.Scope inner = LlmCacheControl.bypass()) {
				assertThat(LlmCacheControl.current()).isEqualTo(LlmCacheMode.BYPASS);
			}
			assertThat(LlmCacheControl.current()).isEqualTo(LlmCacheMode.NO_STORE);
		}
		assertThat(LlmCacheControl.current()).isEqualTo(LlmCacheMode.DEFAULT);
	}

	@Test
	void helpersPassCheckedExceptionsUnchanged() {
		assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> LlmCacheControl.refresh(() -> {
			throw new java.io.IOException("provider down");
		}))).isInstanceOf(java.io.IOException.class);
		assertThat(LlmCacheControl.current()).isEqualTo(LlmCacheMode.DEFAULT);
	}

	@Test
	void aScopeMustBeClosedOnItsOwnThread() throws Exception {
		LlmCacheControl.Scope scope = LlmCacheControl.bypass();
		try {
			Thread other = new Thread(() -> assertThatIllegalStateException().isThrownBy(scope::close));
			other.start();
			other.join();
		}
		finally {
			scope.close();
		}
		assertThat(LlmCacheControl.current()).isEqualTo(LlmCacheMode.DEFAULT);
	}

}
