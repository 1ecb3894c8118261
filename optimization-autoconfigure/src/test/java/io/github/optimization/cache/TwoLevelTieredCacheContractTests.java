package io.github.optimization.cache;

import io.github.optimization.cache.codec.CacheValueCodec;
import io.github.optimization.cache.codec.CodecSettings;
import io.github.optimization.cache.codec.TypeAllowList;
import io.github.optimization.cache.redis.RedisL2Store;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract with a real Redis as the shared level.
 */
class TwoLevelTieredCacheContractTests extends AbstractTieredCacheContractTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@BeforeEach
	void flush() {
		redis.flushAll();
	}

	/**
	 * A manager builder whose shared level is the server, through its shared connection
	 * factory (a store of its own per manager), with the tests' {@link #codec() codec}.
	 */
	static TieredCacheManager.Builder managerBuilder(RedisServerExtension redis) {
		return TieredCacheManager.builder().l2Store(new RedisL2Store(redis.connectionFactory())).codec(codec());
	}

	/**
	 * The codec of the two-level tests: default settings, this project's types allowed.
	 */
	static CacheValueCodec codec() {
		return new CacheValueCodec(CacheValueCodec.defaultObjectMapper(), CodecSettings.defaults(),
				new TypeAllowList(java.util.List.of("io.github.optimization")));
	}

	@Override
	TieredCache cache(String name) {
		return (TieredCache) managerBuilder(redis).build().getCache(name);
	}

}
