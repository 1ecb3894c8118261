package io.github.optimization.cache.redis;

import java.time.Duration;

/**
 * Settings of the tiered caches' Redis connection, built by the auto-configuration from
 * its properties.
 *
 * @param dedicatedConnection whether the caches use a connection of their own, configured
 * for outages, when the application's factory is Lettuce's
 * @param commandTimeout timeout of each command of the caches
 * @param connectTimeout timeout for establishing the connection; also how long callers
 * wait for the first connection attempt
 * @param controlTimeout timeout of the invalidation subscription's commands (SUBSCRIBE,
 * PING), which run in the background and may wait longer than the command timeout
 * @param reconnectDelayMax longest delay between reconnection attempts
 * @param requestQueueSize most commands waiting on the connection
 */
public record RedisConnectionSettings(boolean dedicatedConnection, Duration commandTimeout, Duration connectTimeout,
		Duration controlTimeout, Duration reconnectDelayMax, int requestQueueSize) {
}
