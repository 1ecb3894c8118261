package io.github.optimization.cache.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.autoconfigure.cache.TieredCacheAnnotationAutoConfiguration;
import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.autoconfigure.cache.TieredCacheManagerCustomizer;
import io.github.optimization.autoconfigure.llm.LlmAutoConfiguration;
import io.github.optimization.cache.FakeTicker;
import io.github.optimization.llm.LlmCacheControl;
import io.github.optimization.llm.LlmFixtures;
import io.github.optimization.llm.LlmFixtures.Answer;
import io.github.optimization.test.SettableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stale-while-revalidate and stale-if-error through the annotations: the background
 * refresh runs the annotated method again after the call that started it has returned (a
 * clone of its invocation), and the LLM meters count a stale response as a hit (saved)
 * and the refresh's provider call as spent without counting it as a call. Time is moved
 * by hand and background work runs when the test says so.
 */
class StaleAnnotatedResultsTests {

	private final FakeTicker ticker = new FakeTicker();

	private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final ConcurrentLinkedQueue<Runnable> background = new ConcurrentLinkedQueue<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				TieredCacheAnnotationAutoConfiguration.class, LlmAutoConfiguration.class))
		.withPropertyValues("optimization.llm.pricing.gpt-4o-mini.input=0.15",
				"optimization.llm.pricing.gpt-4o-mini.output=0.60", "optimization.cache.defaults.ttl-jitter=0",
				"optimization.cache.caches.stale.ttl=10m", "optimization.cache.caches.stale.stale-while-revalidate=5m",
				"optimization.cache.caches.stale.stale-if-error=1h")
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(TieredCacheManagerCustomizer.class,
				() -> (builder) -> builder.ticker(this.ticker).clock(this.clock).asyncExecutor(this.background::add))
		.withBean(Provider.class)
		.withBean("innerAdvisor", Advisor.class, StaleAnnotatedResultsTests::innerAdvisor,
				(definition) -> definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE));

	/**
	 * How often the interceptor that runs inside the cache's (closer to the method) ran.
	 */
	private static final AtomicInteger innerInterceptorRuns = new AtomicInteger();

	/**
	 * An interceptor ordered after the cache's, as a transaction or retry advisor may be.
	 */
	static Advisor innerAdvisor() {
		innerInterceptorRuns.set(0);
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
				AnnotationMatchingPointcut.forMethodAnnotation(Audited.class), (MethodInterceptor) (invocation) -> {
					innerInterceptorRuns.incrementAndGet();
					return invocation.proceed();
				});
		advisor.setOrder(Ordered.LOWEST_PRECEDENCE);
		return advisor;
	}

	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.METHOD)
	@interface Audited {

	}

	private void advance(Duration duration) {
		this.ticker.advance(duration);
		this.clock.advance(duration);
	}

	private void runBackground() {
		Runnable task;
		while ((task = this.background.poll()) != null) {
			task.run();
		}
	}

	@Test
	void aStaleLlmResponseIsAHitAndItsBackgroundRefreshIsSpentButNotACall() {
		this.runner.run((context) -> {
			Provider provider = context.getBean(Provider.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Answer first = provider.ask("q");
			advance(Duration.ofMinutes(11));
			assertThat(provider.ask("q")).as("the stale answer, at once").isEqualTo(first);
			assertThat(provider.calls()).isEqualTo(1);
			runBackground();
			assertThat(provider.calls()).as("the refresh ran the method again after the call returned").isEqualTo(2);
			assertThat(provider.ask("q").text()).isEqualTo("answer 2");
			assertThat(count(meters, "optimization.llm.calls", "result", "miss")).isEqualTo(1);
			assertThat(count(meters, "optimization.llm.calls", "result", "hit")).isEqualTo(2);
			assertThat(count(meters, "optimization.llm.tokens.spent", "type", "input"))
				.as("the first call and the background refresh")
				.isEqualTo(2 * LlmFixtures.INPUT_TOKENS);
			assertThat(count(meters, "optimization.llm.tokens.saved", "type", "input"))
				.isEqualTo(2 * LlmFixtures.INPUT_TOKENS);
		});
	}

	@Test
	void aReadThatStoresNothingStartsNoRefresh() {
		this.runner.run((context) -> {
			Provider provider = context.getBean(Provider.class);
			Answer first = provider.ask("q");
			advance(Duration.ofMinutes(11));
			assertThat(LlmCacheControl.noStore(() -> provider.ask("q"))).isEqualTo(first);
			runBackground();
			assertThat(provider.calls()).as("no paid call whose answer would be thrown away").isEqualTo(1);
		});
	}

	@Test
	void aProviderFailureAnsweredWithAStaleResponseIsAHit() {
		this.runner.run((context) -> {
			Provider provider = context.getBean(Provider.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Answer first = provider.ask("q");
			advance(Duration.ofMinutes(30));
			provider.fail();
			assertThat(provider.ask("q")).isEqualTo(first);
			assertThat(provider.calls()).as("the provider was asked and failed").isEqualTo(2);
			assertThat(count(meters, "optimization.llm.calls", "result", "hit")).isEqualTo(1);
			assertThat(count(meters, "optimization.llm.tokens.spent", "type", "output"))
				.as("nothing spent by the failed call")
				.isEqualTo(LlmFixtures.OUTPUT_TOKENS);
			assertThat(count(meters, "optimization.llm.tokens.saved", "type", "output"))
				.isEqualTo(LlmFixtures.OUTPUT_TOKENS);
		});
	}

	@Test
	void tieredCacheableRefreshesInTheBackgroundByRunningTheMethodAgain() {
		this.runner.run((context) -> {
			Provider provider = context.getBean(Provider.class);
			assertThat(provider.version("k")).isEqualTo("version 1");
			advance(Duration.ofMinutes(11));
			assertThat(provider.version("k")).isEqualTo("version 1");
			runBackground();
			assertThat(provider.version("k")).isEqualTo("version 2");
			assertThat(provider.versions()).isEqualTo(2);
			assertThat(innerInterceptorRuns.get())
				.as("the refresh ran the whole chain below the cache, not the bare method")
				.isEqualTo(2);
		});
	}

	private static double count(MeterRegistry meters, String name, String tag, String value) {
		return meters.get(name).tag("model", "gpt-4o-mini").tag(tag, value).counter().count();
	}

	/** A provider whose answers change with every call, and that fails when told to. */
	static class Provider {

		final AtomicInteger calls = new AtomicInteger();

		final AtomicInteger versions = new AtomicInteger();

		final AtomicBoolean failing = new AtomicBoolean();

		public int calls() {
			return this.calls.get();
		}

		public int versions() {
			return this.versions.get();
		}

		public void fail() {
			this.failing.set(true);
		}

		@CachedLlmResponse(cache = "stale")
		public Answer ask(String prompt) {
			int call = this.calls.incrementAndGet();
			if (this.failing.get()) {
				throw new IllegalStateException("provider down");
			}
			return new Answer("answer " + call, "gpt-4o-mini", LlmFixtures.INPUT_TOKENS, LlmFixtures.OUTPUT_TOKENS);
		}

		@TieredCacheable(cache = "stale", key = "'v:' + #name")
		@Audited
		public String version(String name) {
			return "version " + this.versions.incrementAndGet();
		}

	}

}
