package io.github.optimization.cache.annotation;

import java.util.function.Supplier;

import org.springframework.cache.CacheManager;

/**
 * Applies {@link TieredCacheableBatch}: the {@link CacheAnnotationAdvisor} of that
 * annotation, under a type of its own so that an application can replace it. Matching
 * validates the method's signature too. It has the order of the {@code @TieredCacheable}
 * advisor ({@code optimization.cache.advisor-order}).
 */
public final class TieredCacheBatchAdvisor extends CacheAnnotationAdvisor {

	/**
	 * Create an advisor.
	 * @param cacheManager supplies the cache manager on first use
	 * @param order the advisor's order
	 */
	public TieredCacheBatchAdvisor(Supplier<CacheManager> cacheManager, int order) {
		super(new CacheOperationSource<>(TieredCacheableBatch.class, TieredCacheBatchOperation::parse), cacheManager,
				order);
	}

}
