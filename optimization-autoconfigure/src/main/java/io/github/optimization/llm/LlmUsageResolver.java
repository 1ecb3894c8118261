package io.github.optimization.llm;

import java.util.List;

/**
 * Finds the {@link LlmUsage} of a response: the response itself if it implements
 * {@link LlmUsage}, else the first non-{@code null} answer of the extractors, in order.
 * Immutable and thread-safe.
 */
public final class LlmUsageResolver {

	private final List<LlmUsageExtractor> extractors;

	/**
	 * Create a resolver.
	 * @param extractors the extractors, in the order they are asked
	 */
	public LlmUsageResolver(List<LlmUsageExtractor> extractors) {
		this.extractors = List.copyOf(extractors);
	}

	/**
	 * The usage of a response.
	 * @param response the response, may be {@code null}
	 * @return its usage, or {@code null} if unknown
	 * @throws RuntimeException what an extractor threw
	 */
	public LlmUsage resolve(Object response) {
		if (response == null) {
			return null;
		}
		if (response instanceof LlmUsage usage) {
			return usage;
		}
		for (LlmUsageExtractor extractor : this.extractors) {
			LlmUsage usage = extractor.extract(response);
			if (usage != null) {
				return usage;
			}
		}
		return null;
	}

}
