package io.github.optimization.cache.redis;

import java.util.Optional;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The connection the tiered caches talk to Redis over: {@link DedicatedConnection} or
 * {@link ApplicationConnection}.
 */
interface CacheConnection {

	/** The factory the cache's calls use. */
	RedisConnectionFactory connectionFactory();

	/** The dedicated Lettuce factory, or {@code null} when the application's is used. */
	LettuceConnectionFactory dedicatedFactory();

	/**
	 * The Lettuce factory underneath, whose client the invalidation subscription uses.
	 */
	Optional<LettuceConnectionFactory> lettuceFactory();

	/** Release what the connection owns. */
	void close();

}
