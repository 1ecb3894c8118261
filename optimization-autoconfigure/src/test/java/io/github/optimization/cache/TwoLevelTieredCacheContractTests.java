package io.github.optimization.cache;

import io.github.optimization.cache.codec.CacheValueCodec;
import io.github.optimization.cache.codec.CodecSettings;
import io.github.optimization.cache.codec.TypeAllowList;
import io.github.optimization.cache.redis.RedisL2Store;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The contract with a real Redis as the shared level.
 */
class TwoLevelTieredCacheContractTests extends AbstractTieredCacheContractTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		connectionFactory = redis.newConnectionFactory();
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@BeforeEach
	void flush() {
		redis.flushAll();
	}

	static CacheValueCodec codec() {
		return new CacheValueCodec(CacheValueCodec.defaultObjectMapper(), CodecSettings.defaults(),
				new TypeAllowList(java.util.List.of("io.github.optimization")));
	}

	@Override
	TieredCache cache(String name) {
		return (TieredCache) TieredCacheManager.builder()
			.l2Store(new RedisL2Store(connectionFactory))
			.codec(codec())
			.build()
			.getCache(name);
	}

}
