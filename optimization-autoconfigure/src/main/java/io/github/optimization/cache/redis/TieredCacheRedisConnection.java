package io.github.optimization.cache.redis;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis connection of the tiered caches. By default a dedicated Lettuce connection
 * built from the application's {@link LettuceConnectionFactory} (same servers,
 * credentials, TLS and client name plus a suffix), configured for outages: the cache's
 * own short command timeout, commands rejected at once while disconnected instead of
 * queued, a bounded request queue, TCP keepalive (and TCP_USER_TIMEOUT where a native
 * transport is present), a capped reconnect delay, writes never replayed after a
 * reconnect, a first connection that callers never queue for, and a short shutdown. The
 * application's own factory, and everything else that uses it, keeps its settings.
 *
 * <p>
 * Deliberately not a {@link RedisConnectionFactory} bean, so it never competes with the
 * application's factory for injection. Thread-safe.
 */
public class TieredCacheRedisConnection implements DisposableBean {

	private static final Log logger = LogFactory.getLog(TieredCacheRedisConnection.class);

	private final CacheConnection connection;

	private final Duration commandTimeout;

	/**
	 * Create the connection; a dedicated one starts connecting in the background.
	 * @param applicationFactory the application's factory
	 * @param settings the connection's settings
	 */
	public TieredCacheRedisConnection(RedisConnectionFactory applicationFactory, RedisConnectionSettings settings) {
		this.commandTimeout = settings.commandTimeout();
		this.connection = connect(applicationFactory, settings);
	}

	private static CacheConnection connect(RedisConnectionFactory applicationFactory,
			RedisConnectionSettings settings) {
		if (settings.dedicatedConnection() && applicationFactory instanceof LettuceConnectionFactory lettuce) {
			return new DedicatedConnection(lettuce, settings);
		}
		if (settings.dedicatedConnection()) {
			logger.info("The tiered caches use the application's Redis connection factory as it is ("
					+ applicationFactory.getClass().getSimpleName() + " is not Lettuce's): commands follow its "
					+ "timeout and disconnected behaviour");
		}
		return new ApplicationConnection(applicationFactory);
	}

	/** The factory the cache's Redis level uses. */
	public RedisConnectionFactory getConnectionFactory() {
		return this.connection.connectionFactory();
	}

	/** The dedicated Lettuce factory, or {@code null} when the application's is used. */
	public LettuceConnectionFactory getDedicatedFactory() {
		return this.connection.dedicatedFactory();
	}

	/**
	 * The Lettuce factory underneath: the dedicated one, or the application's if it is
	 * Lettuce's. Its client carries the invalidation subscription.
	 * @return the factory, or empty when the cache's Redis is not reached through Lettuce
	 */
	public Optional<LettuceConnectionFactory> getLettuceFactory() {
		return this.connection.lettuceFactory();
	}

	/** The command timeout of the dedicated connection. */
	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	/**
	 * Redis's {@code run_id}, read with INFO.
	 * @return the run id, or {@code null} if INFO did not report one
	 * @throws RuntimeException if Redis is unreachable or INFO is not permitted
	 */
	public String runId() {
		try (RedisConnection connection = getConnectionFactory().getConnection()) {
			Properties info = connection.serverCommands().info("server");
			return (info != null) ? info.getProperty("run_id") : null;
		}
	}

	/**
	 * PING Redis over the cache's connection.
	 * @throws RuntimeException if it did not answer within the command timeout
	 */
	public void pingOrThrow() {
		try (RedisConnection connection = getConnectionFactory().getConnection()) {
			connection.ping();
		}
	}

	/**
	 * PING Redis over the cache's connection (Spring Data Redis waits at most the command
	 * timeout).
	 * @return whether it answered
	 */
	public boolean ping() {
		try (RedisConnection connection = getConnectionFactory().getConnection()) {
			return "PONG".equalsIgnoreCase(connection.ping());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** Where the cache's Redis is, for log lines: host and port, never credentials. */
	public String describe() {
		LettuceConnectionFactory lettuce = getLettuceFactory().orElse(null);
		if (lettuce != null) {
			if (lettuce.isClusterAware()) {
				return "a Redis cluster";
			}
			if (lettuce.isRedisSentinelAware()) {
				return "Redis via sentinel master '" + lettuce.getSentinelConfiguration().getMaster().getName() + "'";
			}
			return "Redis at " + lettuce.getStandaloneConfiguration().getHostName() + ":"
					+ lettuce.getStandaloneConfiguration().getPort();
		}
		return "Redis";
	}

	/**
	 * Check once, in the background, whether Redis answers, and say in one log line
	 * whether the caches start two-level or serve from the in-process level until Redis
	 * is back.
	 */
	public void probeInBackground() {
		DaemonThreads.named("optimization-cache-redis-probe").newThread(() -> {
			if (ping()) {
				logger.info("Tiered caches use " + describe() + " (command timeout " + this.commandTimeout.toMillis()
						+ "ms)");
			}
			else {
				logger.warn(describe() + " is not reachable: tiered caches serve from the in-process level and "
						+ "the loader, and use Redis again as soon as it answers");
			}
		}).start();
	}

	@Override
	public void destroy() {
		this.connection.close();
	}

}
