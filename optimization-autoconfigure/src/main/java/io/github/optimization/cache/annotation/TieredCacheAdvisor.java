package io.github.optimization.cache.annotation;

import java.util.function.Supplier;

import org.springframework.cache.CacheManager;

/**
 * Applies {@link TieredCacheable}: the {@link CacheAnnotationAdvisor} of that annotation,
 * under a type of its own so that an application can replace it. Its order is
 * configurable ({@code optimization.cache.advisor-order}).
 */
public final class TieredCacheAdvisor extends CacheAnnotationAdvisor {

	/**
	 * Create an advisor.
	 * @param source the operation source
	 * @param cacheManager supplies the cache manager on first use
	 * @param order the advisor's order
	 */
	public TieredCacheAdvisor(TieredCacheOperationSource source, Supplier<CacheManager> cacheManager, int order) {
		super(source, cacheManager, order);
	}

}
