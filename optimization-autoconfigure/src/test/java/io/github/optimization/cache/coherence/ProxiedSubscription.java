package io.github.optimization.cache.coherence;

import java.time.Duration;

import io.github.optimization.cache.redis.TieredCacheRedisConnection;
import io.github.optimization.cache.L2Guard;
import io.github.optimization.cache.L2Store;
import io.github.optimization.cache.redis.RedisInvalidationBus;
import io.github.optimization.resilience.GuardedInvalidationPublisher;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;

import org.springframework.core.env.Environment;

import static io.github.optimization.cache.coherence.TwoInstances.CHANNEL;
import static io.github.optimization.cache.coherence.TwoInstances.PING_INTERVAL;

/**
 * The parts of an instance whose subscription goes through a proxy: the invalidation bus
 * as the auto-configuration builds it, except that it subscribes with a Lettuce client of
 * its own that connects to the port in {@value #PORT_PROPERTY} (no hook in the product
 * code). The tests' configurations declare these as beans.
 */
final class ProxiedSubscription {

	/** The property that holds the proxy's port. */
	static final String PORT_PROPERTY = "test.subscription-port";

	private ProxiedSubscription() {
	}

	/**
	 * Where the subscription client connects: the server's host and the proxy's port, for
	 * the caller to add to (e.g. a client name).
	 */
	static RedisURI.Builder uri(String host, Environment environment) {
		return RedisURI.builder()
			.withHost(host)
			.withPort(environment.getRequiredProperty(PORT_PROPERTY, Integer.class));
	}

	/**
	 * A client for the subscription with generous timeouts that rejects commands while
	 * disconnected.
	 */
	static RedisClient client(RedisURI.Builder uri) {
		RedisClient client = RedisClient.create(uri.withTimeout(Duration.ofSeconds(10)).build());
		client.setOptions(ClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(10)).build())
			.build());
		return client;
	}

	/** The bus, subscribing with the given client and waiting this long for a PONG. */
	static RedisInvalidationBus bus(RedisClient client, Duration pongTimeout, L2Store store, L2Guard guard,
			TieredCacheRedisConnection connection) {
		RedisInvalidationBus.Settings settings = new RedisInvalidationBus.Settings(CHANNEL, PING_INTERVAL, pongTimeout,
				10_000, 4096);
		return new RedisInvalidationBus(settings, client, client::connectPubSub,
				new GuardedInvalidationPublisher(store, guard), connection::runId);
	}

}
