package io.github.optimization.llm;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.optimization.cache.annotation.CachedLlmResponse;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The LLM meters as Prometheus scrapes them: 3 misses and 2 hits of 1200 input and 300 output
 * tokens at 0.15 and 0.60 USD per million tokens.
 */
@SpringBootTest(properties = { "management.endpoints.web.exposure.include=prometheus",
		"optimization.llm.pricing.gpt-4o-mini.input=0.15", "optimization.llm.pricing.gpt-4o-mini.output=0.60" })
@AutoConfigureMockMvc
@AutoConfigureObservability(tracing = false)
class LlmPrometheusTests {

	private static final Pattern SAMPLE = Pattern.compile("^(optimization_llm_\\w+)(?:\\{(.*)})? (\\S+)$");

	@Autowired
	private MockMvc mvc;

	@Autowired
	private Assistant assistant;

	@Test
	void exposesExactCallTokenAndCostCounts() throws Exception {
		for (String question : new String[] { "a", "b", "c", "a", "b" }) {
			this.assistant.ask(question);
		}
		assertThat(this.assistant.calls()).isEqualTo(3);
		String scrape = this.mvc.perform(get("/actuator/prometheus"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		Map<String, Double> expected = new TreeMap<>();
		for (String model : new String[] { "gpt-4o-mini", "other" }) {
			boolean priced = model.equals("gpt-4o-mini");
			expected.put(series("optimization_llm_calls_total", model, "result", "miss"), priced ? 3.0 : 0.0);
			expected.put(series("optimization_llm_calls_total", model, "result", "hit"), priced ? 2.0 : 0.0);
			expected.put(series("optimization_llm_tokens_spent_total", model, "type", "input"), priced ? 3600.0 : 0.0);
			expected.put(series("optimization_llm_tokens_spent_total", model, "type", "output"), priced ? 900.0 : 0.0);
			expected.put(series("optimization_llm_tokens_saved_total", model, "type", "input"), priced ? 2400.0 : 0.0);
			expected.put(series("optimization_llm_tokens_saved_total", model, "type", "output"), priced ? 600.0 : 0.0);
			// Per call: 1200 × 0.15 / 1e6 + 300 × 0.60 / 1e6 = 0.00018 + 0.00018 = 0.00036 USD.
			expected.put(series("optimization_llm_cost_spent_total", model, null, null),
					priced ? new BigDecimal("0.00108").doubleValue() : 0.0);
			expected.put(series("optimization_llm_cost_saved_total", model, null, null),
					priced ? new BigDecimal("0.00072").doubleValue() : 0.0);
		}
		expected.put("optimization_llm_recording_failures_total{}", 0.0);
		assertThat(samples(scrape)).isEqualTo(expected);
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
	@EnableAutoConfiguration(exclude = { RedisAutoConfiguration.class, DataSourceAutoConfiguration.class })
	static class App {

		@Bean
		Assistant assistant() {
			return new Assistant();
		}

	}

}
