package io.github.optimization.autoconfigure.cache;

import io.github.optimization.cache.TieredCacheManager;

/**
 * Callback to customize the auto-configured {@link TieredCacheManager} before it is
 * built, e.g. to add caches in code or set a ticker.
 */
@FunctionalInterface
public interface TieredCacheManagerCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder
	 */
	void customize(TieredCacheManager.Builder builder);

}
