package io.github.optimization.autoconfigure.cache;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;
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
 * application's factory for injection.
 */
public class TieredCacheRedisConnection implements DisposableBean {

	private static final Log logger = LogFactory.getLog(TieredCacheRedisConnection.class);

	private static final java.util.concurrent.atomic.AtomicBoolean EPOLL_NOTICE = new java.util.concurrent.atomic.AtomicBoolean();

	private final RedisConnectionFactory connectionFactory;

	private final LettuceConnectionFactory dedicated;

	private final ClientResources resources;

	private final ExecutorService connector;

	private final Duration commandTimeout;

	/**
	 * Create the connection.
	 * @param applicationFactory the application's factory
	 * @param settings the cache's Redis settings
	 * @param controlTimeout the timeout of the invalidation subscription's commands
	 * (SUBSCRIBE, PING), which run in the background and may wait longer than the cache's
	 * command timeout
	 */
	TieredCacheRedisConnection(RedisConnectionFactory applicationFactory, TieredCacheProperties.Redis settings,
			Duration controlTimeout) {
		this.commandTimeout = settings.getCommandTimeout();
		if (settings.isDedicatedConnection() && applicationFactory instanceof LettuceConnectionFactory lettuce) {
			this.resources = DefaultClientResources.builder()
				.ioThreadPoolSize(2)
				.computationThreadPoolSize(2)
				.reconnectDelay(Delay.exponential(Duration.ofMillis(50), settings.getReconnectDelayMax(), 2,
						TimeUnit.MILLISECONDS))
				.nettyCustomizer(new NettyCustomizer() {
					@Override
					public void afterChannelInitialized(Channel channel) {
						channel.pipeline().addLast(new UnansweredWrites());
					}
				})
				.build();
			this.dedicated = dedicatedFactory(lettuce, settings, controlTimeout, this.resources);
			this.connector = Executors.newCachedThreadPool((task) -> {
				Thread thread = new Thread(task, "optimization-cache-connect");
				thread.setDaemon(true);
				return thread;
			});
			ConnectingFactory connecting = new ConnectingFactory(this.dedicated, settings.getConnectTimeout(),
					this.commandTimeout, this.connector);
			connecting.connectInBackground();
			this.connectionFactory = connecting;
		}
		else {
			if (settings.isDedicatedConnection()) {
				logger.info("The tiered caches use the application's Redis connection factory as it is ("
						+ applicationFactory.getClass().getSimpleName() + " is not Lettuce's): commands follow its "
						+ "timeout and disconnected behaviour");
			}
			this.resources = null;
			this.dedicated = null;
			this.connector = null;
			this.connectionFactory = applicationFactory;
		}
	}

	private static LettuceConnectionFactory dedicatedFactory(LettuceConnectionFactory application,
			TieredCacheProperties.Redis settings, Duration controlTimeout, ClientResources resources) {
		LettuceClientConfiguration base = application.getClientConfiguration();
		LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder();
		if (base.isUseSsl()) {
			LettuceClientConfiguration.LettuceSslClientConfigurationBuilder ssl = client.useSsl();
			ssl.verifyPeer(base.getVerifyMode());
			if (base.isStartTls()) {
				ssl.startTls();
			}
			client = ssl.and();
		}
		base.getReadFrom().ifPresent(client::readFrom);
		base.getRedisCredentialsProviderFactory().ifPresent(client::redisCredentialsProviderFactory);
		client.clientName(base.getClientName().map((name) -> name + "-cache").orElse("optimization-cache"));
		client.clientResources(resources);
		client.clientOptions(clientOptions(base.getClientOptions().orElse(null), settings, controlTimeout));
		client.commandTimeout(settings.getCommandTimeout());
		client.shutdownTimeout(Duration.ofMillis(100));
		client.shutdownQuietPeriod(Duration.ZERO);
		LettuceConnectionFactory factory;
		if (application.isClusterAware()) {
			factory = new LettuceConnectionFactory(application.getClusterConfiguration(), client.build());
		}
		else if (application.isRedisSentinelAware()) {
			factory = new LettuceConnectionFactory(application.getSentinelConfiguration(), client.build());
		}
		else {
			factory = new LettuceConnectionFactory(application.getStandaloneConfiguration(), client.build());
		}
		factory.setShareNativeConnection(true);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	static ClientOptions clientOptions(ClientOptions base, TieredCacheProperties.Redis settings,
			Duration controlTimeout) {
		SocketOptions.Builder socket = SocketOptions.builder()
			.connectTimeout(settings.getConnectTimeout())
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
		ClientOptions.Builder options = (base instanceof ClusterClientOptions cluster)
				? ClusterClientOptions.builder(cluster) : (base != null) ? base.mutate() : ClientOptions.builder();
		// No cancelCommandsOnReconnectFailure (gone in Lettuce 7, Boot 4.1): with
		// commands rejected
		// while disconnected, only those in flight at the drop can wait for a reconnect,
		// and the
		// command timeout ends them.
		return options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.autoReconnect(true)
			.requestQueueSize(settings.getRequestQueueSize())
			.socketOptions(socket.build())
			.timeoutOptions(TimeoutOptions.builder()
				.timeoutSource(new CommandTimeouts(settings.getCommandTimeout(), controlTimeout))
				.build())
			.replayFilter(TieredCacheRedisConnection::isWrite)
			.build();
	}

	/**
	 * Per-command timeouts: the cache's short command timeout for everything the cache's
	 * calls send, a longer one for the commands of the invalidation subscription
	 * (SUBSCRIBE and its kin, and PING, which its watchdog sends to detect a dead
	 * subscription; Spring Data Redis still waits at most the command timeout for the
	 * PING of the health check). With the command timeout there, a stall of Redis a
	 * little longer than 50 ms made the watchdog's PING fail, and the watchdog then
	 * dropped every L1 entry of the instance; and a slow first SUBSCRIBE left the
	 * instance unsubscribed until the next watchdog tick.
	 */
	static final class CommandTimeouts extends TimeoutOptions.TimeoutSource {

		private final long commandMillis;

		private final long controlMillis;

		CommandTimeouts(Duration commandTimeout, Duration controlTimeout) {
			this.commandMillis = commandTimeout.toMillis();
			this.controlMillis = Math.max(this.commandMillis, controlTimeout.toMillis());
		}

		@Override
		public long getTimeout(RedisCommand<?, ?, ?> command) {
			return isControl(command.getType()) ? this.controlMillis : this.commandMillis;
		}

		static boolean isControl(ProtocolKeyword type) {
			return type == CommandType.PING || type == CommandType.SUBSCRIBE || type == CommandType.PSUBSCRIBE
					|| type == CommandType.SSUBSCRIBE || type == CommandType.UNSUBSCRIBE
					|| type == CommandType.PUNSUBSCRIBE || type == CommandType.SUNSUBSCRIBE;
		}

	}

	/**
	 * Writes in flight when a connection dropped are not replayed: they may be stale by
	 * then. Lettuce applies this filter only to commands it could not write; commands
	 * that were written and still wait for a reply when the connection drops are failed
	 * by {@link UnansweredWrites} instead.
	 */
	static boolean isWrite(RedisCommand<?, ?, ?> command) {
		ProtocolKeyword type = command.getType();
		return type == CommandType.SET || type == CommandType.DEL || type == CommandType.UNLINK
				|| type == CommandType.PUBLISH || type == CommandType.SETEX || type == CommandType.PSETEX;
	}

	/**
	 * Fails the writes still waiting for a reply when the channel goes inactive. Lettuce
	 * (6.6) moves such commands to its disconnected buffer and sends them again once it
	 * has reconnected, without consulting the replay filter; a write that is done by then
	 * is skipped. Without this, a SET sent just before Redis restarted (or a proxy reset
	 * the connection) would be executed after the reconnect, possibly over a newer value
	 * another instance wrote meanwhile. One instance per channel; runs on the channel's
	 * event loop.
	 */
	static final class UnansweredWrites extends ChannelDuplexHandler {

		private final ArrayDeque<RedisCommand<?, ?, ?>> pending = new ArrayDeque<>();

		@Override
		public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) throws Exception {
			if (message instanceof RedisCommand<?, ?, ?> command) {
				track(command);
			}
			else if (message instanceof Collection<?> commands) {
				for (Object each : commands) {
					if (each instanceof RedisCommand<?, ?, ?> command) {
						track(command);
					}
				}
			}
			super.write(context, message, promise);
		}

		private void track(RedisCommand<?, ?, ?> command) {
			// Replies come in order, so answered writes collect at the head.
			while (!this.pending.isEmpty() && this.pending.peekFirst().isDone()) {
				this.pending.pollFirst();
			}
			if (isWrite(command)) {
				this.pending.addLast(command);
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) throws Exception {
			RedisException notReplayed = null;
			for (RedisCommand<?, ?, ?> command : this.pending) {
				if (!command.isDone()) {
					if (notReplayed == null) {
						notReplayed = new RedisException(
								"Connection closed before Redis answered; the write is not sent again");
					}
					command.completeExceptionally(notReplayed);
				}
			}
			this.pending.clear();
			super.channelInactive(context);
		}

		int pendingWrites() {
			return this.pending.size();
		}

	}

	/** The factory the cache's Redis level uses. */
	public RedisConnectionFactory getConnectionFactory() {
		return this.connectionFactory;
	}

	/** The dedicated Lettuce factory, or {@code null} when the application's is used. */
	public LettuceConnectionFactory getDedicatedFactory() {
		return this.dedicated;
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
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Properties info = connection.serverCommands().info("server");
			return (info != null) ? info.getProperty("run_id") : null;
		}
	}

	/**
	 * PING Redis over the cache's connection.
	 * @throws RuntimeException if it did not answer within the command timeout
	 */
	public void pingOrThrow() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.ping();
		}
	}

	/**
	 * PING Redis over the cache's connection (Spring Data Redis waits at most the command
	 * timeout).
	 * @return whether it answered
	 */
	public boolean ping() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return "PONG".equalsIgnoreCase(connection.ping());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** Where the cache's Redis is, for log lines: host and port, never credentials. */
	public String describe() {
		if (this.connectionFactory instanceof LettuceConnectionFactory lettuce) {
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
	void probeInBackground() {
		Thread probe = new Thread(() -> {
			if (ping()) {
				logger.info("Tiered caches use " + describe() + " (command timeout " + this.commandTimeout.toMillis()
						+ "ms)");
			}
			else {
				logger.warn(describe() + " is not reachable: tiered caches serve from the in-process level and "
						+ "the loader, and use Redis again as soon as it answers");
			}
		}, "optimization-cache-redis-probe");
		probe.setDaemon(true);
		probe.start();
	}

	@Override
	public void destroy() {
		if (this.dedicated != null) {
			this.dedicated.destroy();
		}
		if (this.resources != null) {
			this.resources.shutdown(0, 100, TimeUnit.MILLISECONDS);
		}
		if (this.connector != null) {
			this.connector.shutdownNow();
		}
	}

	/**
	 * The dedicated factory as the cache's calls see it. Spring Data Redis opens the
	 * shared connection on first use, synchronously and under a lock: with Redis hung
	 * (TCP accepted, no answer) each caller would pay a whole handshake (about twice the
	 * command timeout) and, worse, wait for every caller ahead of it in the lock, for
	 * seconds. Here, until a connection has been established, one attempt runs in the
	 * background and callers wait for it, then fail like a timed-out command (which
	 * counts against the breaker): for the first attempt, which starts with the
	 * application, at most the connect timeout (a cold JVM needs a few hundred
	 * milliseconds for its first connection), for later ones at most the command timeout.
	 * Once established, Lettuce keeps the connection and reconnects it itself (rejecting
	 * commands while disconnected), so calls go straight to the factory.
	 */
	static final class ConnectingFactory implements RedisConnectionFactory, ReactiveRedisConnectionFactory {

		private final LettuceConnectionFactory delegate;

		private final Gate connection;

		private final Gate reactiveConnection;

		ConnectingFactory(LettuceConnectionFactory delegate, Duration firstWait, Duration wait, Executor executor) {
			this.delegate = delegate;
			this.connection = new Gate(() -> delegate.getConnection().close(), firstWait, wait, executor);
			this.reactiveConnection = new Gate(() -> {
				ReactiveRedisConnection reactive = delegate.getReactiveConnection();
				reactive.close();
			}, firstWait, wait, executor);
		}

		/**
		 * Connect in the background now, so the first calls find the connection ready.
		 */
		void connectInBackground() {
			this.connection.start();
		}

		@Override
		public RedisConnection getConnection() {
			this.connection.await();
			return this.delegate.getConnection();
		}

		@Override
		public RedisClusterConnection getClusterConnection() {
			this.connection.await();
			return this.delegate.getClusterConnection();
		}

		@Override
		public ReactiveRedisConnection getReactiveConnection() {
			this.reactiveConnection.await();
			return this.delegate.getReactiveConnection();
		}

		@Override
		public ReactiveRedisClusterConnection getReactiveClusterConnection() {
			this.reactiveConnection.await();
			return this.delegate.getReactiveClusterConnection();
		}

		@Override
		public boolean getConvertPipelineAndTxResults() {
			return this.delegate.getConvertPipelineAndTxResults();
		}

		@Override
		public RedisSentinelConnection getSentinelConnection() {
			return this.delegate.getSentinelConnection();
		}

		@Override
		public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
			return this.delegate.translateExceptionIfPossible(ex);
		}

	}

	/**
	 * One connection attempt at a time, in the background; callers wait for it,
	 * boundedly.
	 */
	static final class Gate {

		private final Runnable connect;

		private final Duration firstWait;

		private final Duration wait;

		private final Executor executor;

		private volatile boolean established;

		private CompletableFuture<Void> attempt;

		private CompletableFuture<Void> first;

		/**
		 * Create a gate.
		 * @param connect opens the connection, or throws
		 * @param firstWait how long callers wait for the first attempt
		 * @param wait how long callers wait for a later attempt
		 * @param executor runs the attempts
		 */
		Gate(Runnable connect, Duration firstWait, Duration wait, Executor executor) {
			this.connect = connect;
			this.firstWait = firstWait;
			this.wait = wait;
			this.executor = executor;
		}

		/** Start an attempt unless one is running or a connection is established. */
		synchronized CompletableFuture<Void> start() {
			if (this.established) {
				return CompletableFuture.completedFuture(null);
			}
			if (this.attempt == null || this.attempt.isDone()) {
				this.attempt = CompletableFuture.runAsync(() -> {
					this.connect.run();
					this.established = true;
				}, this.executor);
				if (this.first == null) {
					this.first = this.attempt;
				}
			}
			return this.attempt;
		}

		/**
		 * Return once connected; wait for the attempt in progress at most the configured
		 * time.
		 */
		void await() {
			if (this.established) {
				return;
			}
			CompletableFuture<Void> current = start();
			Duration bound;
			synchronized (this) {
				bound = (current == this.first) ? this.firstWait : this.wait;
			}
			try {
				current.get(bound.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				throw new RedisConnectionFailureException("Not connected to Redis yet: the connection attempt in "
						+ "progress did not complete within " + bound.toMillis() + "ms", ex);
			}
			catch (ExecutionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				throw new RedisConnectionFailureException("Unable to connect to Redis: " + cause.getMessage(), cause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new RedisConnectionFailureException("Interrupted while waiting for a connection to Redis", ex);
			}
		}

		boolean isEstablished() {
			return this.established;
		}

	}

}
