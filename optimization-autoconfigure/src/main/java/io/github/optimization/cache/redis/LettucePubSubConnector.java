package io.github.optimization.cache.redis;

import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Opens a pub/sub connection with the client of a Lettuce connection factory, a cluster
 * client or a standalone (or sentinel) one. The client is looked up on every call, as the
 * factory creates a new one when it is restarted.
 */
final class LettucePubSubConnector
		implements Function<RedisCodec<byte[], byte[]>, StatefulRedisPubSubConnection<byte[], byte[]>> {

	private final LettuceConnectionFactory factory;

	LettucePubSubConnector(LettuceConnectionFactory factory) {
		this.factory = factory;
	}

	@Override
	public StatefulRedisPubSubConnection<byte[], byte[]> apply(RedisCodec<byte[], byte[]> codec) {
		Object client = this.factory.getNativeClient();
		if (client instanceof RedisClusterClient cluster) {
			return cluster.connectPubSub(codec);
		}
		return ((RedisClient) client).connectPubSub(codec);
	}

}
