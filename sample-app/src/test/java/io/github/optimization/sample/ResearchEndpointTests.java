package io.github.optimization.sample;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.optimization.autoconfigure.cache.TieredCacheManagerCustomizer;
import io.github.optimization.sample.research.Answer;
import io.github.optimization.sample.research.SimulatedLlmProvider;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The research endpoint over the simulated LLM provider: hits, the tokens and dollars
 * they saved as {@code /actuator/prometheus} reports them, stale-while-revalidate and
 * serve-stale-on-error. Time is moved by hand (the cache manager's ticker and clock),
 * never waited for.
 */
@AutoConfigureMetrics
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.llm.latency=0ms", "sample.llm.input-tokens=1200", "sample.llm.output-tokens=300" })
@DirtiesContext
class ResearchEndpointTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	/** Moves the caches' ticker and clock together. */
	static final ManualTime time = new ManualTime();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", redis::host);
		registry.add("spring.data.redis.port", redis::port);
	}

	@TestConfiguration
	static class ManualTimeConfiguration {

		@Bean
		TieredCacheManagerCustomizer manualTime() {
			return (builder) -> builder.ticker(time).clock(time.clock());
		}

	}

	@Autowired
	TestRestTemplate http;

	@Autowired
	SimulatedLlmProvider provider;

	@BeforeEach
	void healthyProvider() {
		this.provider.configure(Duration.ZERO, 0);
	}

	@Test
	void hitsAreCountedWithTheTokensAndDollarsTheySaved() {
		Answer first = research("hits");
		Answer second = research("hits");
		Answer third = research("hits");
		long calls = this.provider.calls();
		assertThat(second.answeredAt()).as("served from the cache").isEqualTo(first.answeredAt());
		assertThat(third.answeredAt()).isEqualTo(first.answeredAt());
		research("hits", "gpt-4o");
		assertThat(this.provider.calls()).as("another model is another entry").isEqualTo(calls + 1);

		String scrape = scrape();
		// The other tests of this class add to the same counters: compare with this
		// test's
		// own calls only through deltas would hide mistakes, so each test uses its own
		// model
		// or topic and this test owns gpt-4o.
		assertThat(value(scrape, "optimization_llm_calls_total", "model=\"gpt-4o\",result=\"miss\"")).isEqualTo(1);
		assertThat(value(scrape, "optimization_llm_tokens_spent_total", "model=\"gpt-4o\",type=\"input\""))
			.isEqualTo(1200);
		assertThat(value(scrape, "optimization_llm_tokens_spent_total", "model=\"gpt-4o\",type=\"output\""))
			.isEqualTo(300);
		// 1200 x 2.50 / 1e6 + 300 x 10.00 / 1e6 = 0.003 + 0.003
		assertThat(value(scrape, "optimization_llm_cost_spent_total", "model=\"gpt-4o\"")).isEqualTo(0.006);
		assertThat(value(scrape, "optimization_llm_calls_total", "model=\"gpt-4o-mini\",result=\"hit\""))
			.isGreaterThanOrEqualTo(2);
		assertThat(value(scrape, "optimization_llm_tokens_saved_total", "model=\"gpt-4o-mini\",type=\"input\""))
			.isGreaterThanOrEqualTo(2 * 1200);
	}

	@Test
	void anExpiredAnswerIsServedAtOnceWhileOneCallReplacesIt() {
		Answer first = research("revalidate");
		long calls = this.provider.calls();
		time.advance(Duration.ofMinutes(3));
		Answer stale = research("revalidate");
		assertThat(stale.answeredAt()).as("the old answer, at once").isEqualTo(first.answeredAt());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.provider.calls() == calls + 1);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !research("revalidate").answeredAt().equals(first.answeredAt()));
		assertThat(this.provider.calls()).as("one background call").isEqualTo(calls + 1);
	}

	@Test
	void aFailingProviderIsHiddenByTheStaleAnswerAndCounted() {
		Answer first = research("outage");
		this.provider.configure(Duration.ZERO, 1);
		time.advance(Duration.ofMinutes(30));
		double servedBefore = value(scrape(), "optimization_cache_stale_served_total",
				"cache=\"research\",reason=\"error\"");
		ResponseEntity<Answer> response = this.http.getForEntity("/research?topic=outage", Answer.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody().answeredAt()).isEqualTo(first.answeredAt());
		assertThat(value(scrape(), "optimization_cache_stale_served_total", "cache=\"research\",reason=\"error\""))
			.isEqualTo(servedBefore + 1);
		ResponseEntity<String> never = this.http.getForEntity("/research?topic=never-answered", String.class);
		assertThat(never.getStatusCode()).as("nothing stale to serve: the failure shows")
			.isEqualTo(HttpStatus.BAD_GATEWAY);
	}

	private Answer research(String topic) {
		return research(topic, "gpt-4o-mini");
	}

	private Answer research(String topic, String model) {
		ResponseEntity<Answer> response = this.http.getForEntity("/research?topic={t}&model={m}", Answer.class, topic,
				model);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		return response.getBody();
	}

	private String scrape() {
		return this.http.getForObject("/actuator/prometheus", String.class);
	}

	/**
	 * The value of the one series that has all the given tags (comma-separated), 0 when
	 * absent.
	 */
	static double value(String scrape, String name, String tags) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
		List<String> wanted = List.of(tags.split(","));
		Double found = null;
		while (matcher.find()) {
			List<String> present = List.of(matcher.group(1).split(","));
			if (present.containsAll(wanted)) {
				assertThat(found).as("one series of " + name + " with " + tags).isNull();
				found = Double.parseDouble(matcher.group(2));
			}
		}
		return (found != null) ? found : 0;
	}

	/** A Caffeine ticker and a clock that move together, only when told. */
	static final class ManualTime implements Ticker {

		private final AtomicLong nanos = new AtomicLong();

		private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

		@Override
		public long read() {
			return this.nanos.get();
		}

		void advance(Duration duration) {
			this.nanos.addAndGet(duration.toNanos());
		}

		Clock clock() {
			return new Clock() {
				@Override
				public java.time.ZoneId getZone() {
					return ZoneOffset.UTC;
				}

				@Override
				public Clock withZone(java.time.ZoneId zone) {
					return this;
				}

				@Override
				public Instant instant() {
					return ManualTime.this.start.plusNanos(ManualTime.this.nanos.get());
				}
			};
		}

	}

}
