package io.github.optimization.sample.research;

import io.github.optimization.cache.annotation.CachedLlmResponse;

import org.springframework.stereotype.Service;

/**
 * The expensive call, cached. The key covers the whole {@link Question} (topic, model,
 * system prompt, temperature); the model tag of the meters comes from the question, so a
 * failed call is still attributed to the right model. TTL, stale-while-revalidate and
 * stale-if-error come from {@code optimization.cache.caches.research} in application.yml.
 */
@Service
public class ResearchService {

	private final SimulatedLlmProvider provider;

	public ResearchService(SimulatedLlmProvider provider) {
		this.provider = provider;
	}

	@CachedLlmResponse(cache = "research", model = "#question.model")
	public Answer research(Question question) {
		return this.provider.complete(question);
	}

}
