package io.github.optimization.cache.redis;

import java.util.Optional;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The application's factory, used as it is: commands follow its timeout and disconnected
 * behaviour. The application owns it, so closing does nothing.
 */
final class ApplicationConnection implements CacheConnection {

	private final RedisConnectionFactory factory;

	ApplicationConnection(RedisConnectionFactory factory) {
		this.factory = factory;
	}

	@Override
	public RedisConnectionFactory connectionFactory() {
		return this.factory;
	}

	@Override
	public LettuceConnectionFactory dedicatedFactory() {
		return null;
	}

	@Override
	public Optional<LettuceConnectionFactory> lettuceFactory() {
		return (this.factory instanceof LettuceConnectionFactory lettuce) ? Optional.of(lettuce) : Optional.empty();
	}

	@Override
	public void close() {
	}

}
