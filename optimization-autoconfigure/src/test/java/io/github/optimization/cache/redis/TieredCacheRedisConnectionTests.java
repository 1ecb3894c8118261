package io.github.optimization.cache.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

class TieredCacheRedisConnectionTests {

	private static final Duration TIMEOUT = Duration.ofMillis(50);

	@Test
	void namesTheServerWhenTheConnectionIsDedicated() {
		assertThat(describe(true)).isEqualTo("Redis at redis.example:6380");
	}

	@Test
	void namesTheServerWhenTheApplicationsFactoryIsUsed() {
		assertThat(describe(false)).isEqualTo("Redis at redis.example:6380");
	}

	private static String describe(boolean dedicated) {
		LettuceConnectionFactory application = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("redis.example", 6380));
		TieredCacheRedisConnection connection = new TieredCacheRedisConnection(application,
				new RedisConnectionSettings(dedicated, TIMEOUT, TIMEOUT, TIMEOUT, Duration.ofSeconds(1), 16));
		try {
			return connection.describe();
		}
		finally {
			connection.destroy();
		}
	}

}
