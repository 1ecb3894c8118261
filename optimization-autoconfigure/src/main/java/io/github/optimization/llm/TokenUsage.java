package io.github.optimization.llm;

/**
 * A plain {@link LlmUsage}: what {@link LlmUsageExtractor}s can return.
 *
 * @param model the model that answered, or {@code null} if unknown
 * @param inputTokens tokens read, 0 or more
 * @param outputTokens tokens written, 0 or more
 */
public record TokenUsage(String model, long inputTokens, long outputTokens) implements LlmUsage {

	/**
	 * Create a usage.
	 * @throws IllegalArgumentException if a token count is negative
	 */
	public TokenUsage {
		if (inputTokens < 0 || outputTokens < 0) {
			throw new IllegalArgumentException(
					"Token counts must not be negative, were " + inputTokens + " and " + outputTokens);
		}
	}

}
