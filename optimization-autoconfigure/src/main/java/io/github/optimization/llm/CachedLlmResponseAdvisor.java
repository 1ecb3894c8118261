package io.github.optimization.llm;

import java.util.function.Supplier;

import io.github.optimization.cache.annotation.CacheAnnotationAdvisor;
import io.github.optimization.cache.annotation.CacheOperationSource;
import io.github.optimization.cache.annotation.CachedLlmResponse;

import org.springframework.cache.CacheManager;

/**
 * Applies {@link CachedLlmResponse}: the {@link CacheAnnotationAdvisor} of that
 * annotation, under a type of its own so that an application can replace it, with the
 * recorder of the calls' usage. Matching parses and validates the annotation, so an
 * invalid one fails when the bean is created.
 */
public final class CachedLlmResponseAdvisor extends CacheAnnotationAdvisor {

	/**
	 * Create an advisor.
	 * @param cacheManager supplies the cache manager on first use; may supply
	 * {@code null} (methods then run uncached)
	 * @param recorder supplies the recorder of calls; may supply {@code null} (nothing is
	 * recorded)
	 * @param order the advisor's order
	 */
	public CachedLlmResponseAdvisor(Supplier<CacheManager> cacheManager, Supplier<LlmCallRecorder> recorder,
			int order) {
		super(new CacheOperationSource<>(CachedLlmResponse.class,
				(annotation, method) -> CachedLlmResponseOperation.parse(annotation, method, recorder)), cacheManager,
				order);
	}

}
