package io.github.optimization.sample.research;

import java.time.Instant;

import io.github.optimization.llm.LlmUsage;

/**
 * What the (simulated) provider answered, with the usage the cache counts: a miss adds
 * the tokens and cost to {@code optimization.llm.*.spent}, every later hit adds them to
 * {@code optimization.llm.*.saved}.
 *
 * @param topic the topic asked about
 * @param text the answer
 * @param model the model that answered
 * @param inputTokens the prompt tokens the call used
 * @param outputTokens the completion tokens the call used
 * @param answeredAt when the provider produced the answer (a cached answer keeps it)
 */
public record Answer(String topic, String text, String model, long inputTokens, long outputTokens,
		Instant answeredAt) implements LlmUsage {

}
