package io.github.optimization.llm;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.optimization.cache.annotation.CachedLlmResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LLM meters as Prometheus scrapes them (the text of {@code /actuator/prometheus},
 * from the application's Prometheus registry, with every auto-configuration a user's
 * application gets): 3 misses and 2 hits of 1200 input and 300 output tokens at 0.15 and
 * 0.60 USD per million tokens.
 */
class LlmPrometheusTests {

	private static final Pattern SAMPLE = Pattern.compile("^(optimization_llm_\\w+)(?:\\{(.*)})? (\\S+)$");

	@Test
	void exposesExactCallTokenAndCostCounts() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("optimization.llm.pricing.gpt-4o-mini.input=0.15",
					"optimization.llm.pricing.gpt-4o-mini.output=0.60")
			.run()) {
			Assistant assistant = context.getBean(Assistant.class);
			for (String question : new String[] { "a", "b", "c", "a", "b" }) {
				assistant.ask(question);
			}
			assertThat(assistant.calls()).isEqualTo(3);
			assertThat(samples(context.getBean(PrometheusMeterRegistry.class).scrape())).isEqualTo(expected());
		}
	}

	private static Map<String, Double> expected() {
		Map<String, Double> expected = new TreeMap<>();
		for (String model : new String[] { "gpt-4o-mini", "other" }) {
			boolean priced = model.equals("gpt-4o-mini");
			expected.put(series("optimization_llm_calls_total", model, "result", "miss"), priced ? 3.0 : 0.0);
			expected.put(series("optimization_llm_calls_total", model, "result", "hit"), priced ? 2.0 : 0.0);
			expected.put(series("optimization_llm_tokens_spent_total", model, "type", "input"), priced ? 3600.0 : 0.0);
			expected.put(series("optimization_llm_tokens_spent_total", model, "type", "output"), priced ? 900.0 : 0.0);
			expected.put(series("optimization_llm_tokens_saved_total", model, "type", "input"), priced ? 2400.0 : 0.0);
			expected.put(series("optimization_llm_tokens_saved_total", model, "type", "output"), priced ? 600.0 : 0.0);
			// Per call: 1200 × 0.15 / 1e6 + 300 × 0.60 / 1e6 = 0.00018 + 0.00018 =
			// 0.00036 USD.
			expected.put(series("optimization_llm_cost_spent_total", model, null, null),
					priced ? new BigDecimal("0.00108").doubleValue() : 0.0);
			expected.put(series("optimization_llm_cost_saved_total", model, null, null),
					priced ? new BigDecimal("0.00072").doubleValue() : 0.0);
		}
		expected.put("optimization_llm_recording_failures_total{}", 0.0);
		return expected;
	}

	private static String series(String name, String model, String tag, String value) {
		Map<String, String> labels = new TreeMap<>();
		labels.put("model", model);
		if (tag != null) {
			labels.put(tag, value);
		}
		return name + labels;
	}

	private static Map<String, Double> samples(String scrape) {
		Map<String, Double> samples = new TreeMap<>();
		for (String line : scrape.split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (sample.matches()) {
				Map<String, String> labels = new TreeMap<>();
				if (sample.group(2) != null) {
					for (String label : sample.group(2).split(",")) {
						String[] pair = label.split("=", 2);
						labels.put(pair[0], pair[1].replace("\"", ""));
					}
				}
				samples.put(sample.group(1) + labels, Double.parseDouble(sample.group(3)));
			}
		}
		return samples;
	}

	public static class Assistant {

		private int calls;

		public int calls() {
			return this.calls;
		}

		@CachedLlmResponse(cache = "answers")
		public Answer ask(String question) {
			this.calls++;
			return new Answer("answer " + question, "gpt-4o-mini", 1200, 300);
		}

	}

	public record Answer(String text, String model, long inputTokens, long outputTokens) implements LlmUsage {
	}

	@SpringBootConfiguration
	// Without Redis and a database: the names of both Boot lines (the other line's are
	// ignored).
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
	static class App {

		@Bean
		Assistant assistant() {
			return new Assistant();
		}

	}

}
