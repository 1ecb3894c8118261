package io.github.optimization.cache;

/**
 * The contract with no Redis: in-process caches only.
 */
class L1OnlyTieredCacheContractTests extends AbstractTieredCacheContractTests {

	@Override
	TieredCache cache(String name) {
		return (TieredCache) TieredCacheManager.builder().build().getCache(name);
	}

}
