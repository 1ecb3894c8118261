package io.github.optimization.cache.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.resource.EpollProvider;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Lettuce's client options of the dedicated connection, configured for outages: commands
 * rejected at once while disconnected instead of queued, a bounded request queue, TCP
 * keepalive (and TCP_USER_TIMEOUT where a native transport is present), per-command
 * timeouts, and writes never replayed after a reconnect.
 */
final class OutageClientOptions {

	// Logs under the connection's name, where the documentation shows its lines.
	private static final Log logger = LogFactory.getLog(TieredCacheRedisConnection.class);

	private static final AtomicBoolean EPOLL_NOTICE = new AtomicBoolean();

	private OutageClientOptions() {
	}

	/**
	 * The options of the dedicated connection.
	 * @param base the application's options, or {@code null}; kept where not overridden
	 * @param settings the connection's settings
	 * @return the options
	 */
	static ClientOptions of(ClientOptions base, RedisConnectionSettings settings) {
		ClientOptions.Builder options = (base instanceof ClusterClientOptions cluster)
				? ClusterClientOptions.builder(cluster) : (base != null) ? base.mutate() : ClientOptions.builder();
		// No cancelCommandsOnReconnectFailure (gone in Lettuce 7, Boot 4.1): with
		// commands rejected while disconnected, only those in flight at the drop can wait
		// for a reconnect, and the command timeout ends them.
		return options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.autoReconnect(true)
			.requestQueueSize(settings.requestQueueSize())
			.socketOptions(socketOptions(settings.connectTimeout()))
			.timeoutOptions(TimeoutOptions.builder()
				.timeoutSource(new CommandTimeouts(settings.commandTimeout(), settings.controlTimeout()))
				.build())
			.replayFilter(UnansweredWrites::isWrite)
			.build();
	}

	private static SocketOptions socketOptions(Duration connectTimeout) {
		SocketOptions.Builder socket = SocketOptions.builder()
			.connectTimeout(connectTimeout)
			.keepAlive(SocketOptions.KeepAliveOptions.builder()
				.enable()
				.idle(Duration.ofSeconds(5))
				.interval(Duration.ofSeconds(1))
				.count(3)
				.build());
		if (!EpollProvider.isAvailable() && EPOLL_NOTICE.compareAndSet(false, true)) {
			logger.info("TCP_USER_TIMEOUT is inactive for the cache's Redis connection (no native epoll transport on "
					+ "the class path): when Redis becomes unreachable, TCP keepalive gives an idle connection up "
					+ "in about 8s, but one with unanswered commands only when the kernel stops retransmitting "
					+ "(about 15 minutes by default); the circuit breaker keeps callers from waiting for it. Add "
					+ "io.netty:netty-transport-native-epoll for a 5s bound");
		}
		if (EpollProvider.isAvailable()) {
			socket.tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder()
				.enable()
				.tcpUserTimeout(Duration.ofSeconds(5))
				.build());
		}
		return socket.build();
	}

}
