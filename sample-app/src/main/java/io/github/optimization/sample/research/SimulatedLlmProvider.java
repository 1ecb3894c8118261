package io.github.optimization.sample.research;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Stands in for a paid LLM API: each call takes {@code sample.llm.latency}, reports
 * {@code sample.llm.input-tokens} and {@code sample.llm.output-tokens}, and fails with
 * probability {@code sample.llm.failure-rate}. The latency and failure rate can be
 * changed while the app runs ({@code POST /research/provider}) to watch the cache serve
 * stale answers while the provider is down.
 */
@Component
public class SimulatedLlmProvider {

	private final long inputTokens;

	private final long outputTokens;

	private volatile Duration latency;

	private volatile double failureRate;

	private final AtomicLong calls = new AtomicLong();

	public SimulatedLlmProvider(@Value("${sample.llm.latency:1500ms}") Duration latency,
			@Value("${sample.llm.input-tokens:1200}") long inputTokens,
			@Value("${sample.llm.output-tokens:350}") long outputTokens,
			@Value("${sample.llm.failure-rate:0}") double failureRate) {
		this.inputTokens = inputTokens;
		this.outputTokens = outputTokens;
		configure(latency, failureRate);
	}

	/**
	 * Answer a question, as a provider would: slowly, at a price, and sometimes not at
	 * all.
	 * @param question the question
	 * @return the answer
	 * @throws LlmProviderException when the simulated provider fails
	 */
	public Answer complete(Question question) {
		this.calls.incrementAndGet();
		simulateLatency();
		if (this.failureRate > 0 && ThreadLocalRandom.current().nextDouble() < this.failureRate) {
			throw new LlmProviderException(
					"The LLM provider is overloaded (simulated, failure rate " + this.failureRate + ")");
		}
		String text = "[" + question.model() + ", t=" + question.temperature() + "] A short study of "
				+ question.topic() + ", written as instructed: " + question.systemPrompt();
		return new Answer(question.topic(), text, question.model(), this.inputTokens, this.outputTokens, Instant.now());
	}

	/**
	 * Change the latency and failure rate.
	 * @param latency how long each call takes
	 * @param failureRate the probability, in [0, 1], that a call fails
	 */
	public void configure(Duration latency, double failureRate) {
		if (latency.isNegative()) {
			throw new IllegalArgumentException("latency must not be negative, was " + latency);
		}
		if (!(failureRate >= 0 && failureRate <= 1)) {
			throw new IllegalArgumentException("failure-rate must be between 0 and 1, was " + failureRate);
		}
		this.latency = latency;
		this.failureRate = failureRate;
	}

	/** How many calls reached the provider, failed ones included. */
	public long calls() {
		return this.calls.get();
	}

	public Duration latency() {
		return this.latency;
	}

	public double failureRate() {
		return this.failureRate;
	}

	private void simulateLatency() {
		// Demo code standing in for a slow remote call, not a test waiting for time.
		try {
			Thread.sleep(this.latency.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
