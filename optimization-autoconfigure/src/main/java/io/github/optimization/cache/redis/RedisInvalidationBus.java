package io.github.optimization.cache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.optimization.cache.FlushReason;
import io.github.optimization.cache.InvalidationHandler;
import io.github.optimization.cache.InvalidationPublisher;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the in-process levels of all instances sharing a Redis coherent: publishes every
 * put and eviction (cache, key digest, source id) on a channel and applies what other
 * instances publish. Lost messages are assumed, so every in-process entry is dropped when
 * the subscription drops, when it is established (the first time too: entries cached
 * before it may have missed invalidations; counted as {@code RESUBSCRIBE}), when Redis's
 * {@code run_id} changes, when a PING on the subscription goes unanswered (a silently
 * dead socket), when messages overflow the local queue, and when a peer that could not
 * publish asks for it.
 *
 * <p>
 * Messages are handled on a thread of its own with a bounded queue, never on the Redis
 * client's event loop. Malformed, oversized and own messages are dropped (the first two
 * counted). A publish that fails (Redis down or the breaker open) is counted, and once
 * publishing works again a {@code flush} is sent so peers drop what they may have missed.
 *
 * <p>
 * Thread-safe. Connecting and reconnecting happen in the background; {@link #start()}
 * waits at most the pong timeout for the first subscription (not at all when Redis
 * refuses the connection), so that normally its flush is done before the application
 * serves.
 */
public final class RedisInvalidationBus implements InvalidationPublisher, InvalidationBusState, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisInvalidationBus.class);

	private final Settings settings;

	private final String sourceId = UUID.randomUUID().toString();

	private final byte[] channel;

	private final Function<RedisCodec<byte[], byte[]>, StatefulRedisPubSubConnection<byte[], byte[]>> connector;

	private final AbstractRedisClient client;

	private final Publisher publisher;

	private final Supplier<String> runIdSource;

	private final InvalidationStatistics stats = new InvalidationStatistics();

	private final ThreadPoolExecutor handlerThread;

	private final ScheduledExecutorService watchdogThread;

	private final AtomicBoolean flushPeersPending = new AtomicBoolean();

	/**
	 * Messages are being dropped because the queue is full: the first drop flushed at
	 * once, later ones are covered by the watchdog's ticks until one finds no new drop.
	 */
	private final AtomicBoolean overflowing = new AtomicBoolean();

	/** A message was dropped after the last overflow flush started. */
	private final AtomicBoolean droppedSinceOverflowFlush = new AtomicBoolean();

	private final AtomicBoolean publishing = new AtomicBoolean(true);

	private final CountDownLatch firstSubscription = new CountDownLatch(1);

	private final ConnectionListener connectionListener = new ConnectionListener();

	private volatile InvalidationHandler handler;

	private volatile StatefulRedisPubSubConnection<byte[], byte[]> connection;

	/**
	 * Whether the current connection's subscription is confirmed and what was cached
	 * before it has been dropped.
	 */
	private volatile boolean subscribed;

	private volatile boolean connectFailedBefore;

	private volatile String lastRunId;

	private volatile boolean runIdAvailable = true;

	private volatile boolean closed;

	/**
	 * Create a bus.
	 * @param settings channel and timing
	 * @param client the Lettuce client whose pub/sub connection it uses (its state events
	 * tell the bus when the subscription drops)
	 * @param connector opens a pub/sub connection with that client
	 * @param publisher publishes on the data connection (through the circuit breaker)
	 * @param runIdSource reads Redis's {@code run_id}, or returns {@code null} when it
	 * cannot (e.g. the ACL forbids INFO)
	 */
	public RedisInvalidationBus(Settings settings, AbstractRedisClient client,
			Function<RedisCodec<byte[], byte[]>, StatefulRedisPubSubConnection<byte[], byte[]>> connector,
			Publisher publisher, Supplier<String> runIdSource) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.channel = settings.channel().getBytes(StandardCharsets.UTF_8);
		this.client = client;
		this.connector = connector;
		this.publisher = publisher;
		this.runIdSource = runIdSource;
		this.handlerThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(settings.queueCapacity()), daemon("optimization-cache-invalidation"));
		this.watchdogThread = Executors.newSingleThreadScheduledExecutor(daemon("optimization-cache-watchdog"));
	}

	private static java.util.concurrent.ThreadFactory daemon(String name) {
		return (runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Set where received invalidations go. Must be called before {@link #start()}.
	 * @param handler the handler, typically the cache manager
	 */
	public void attach(InvalidationHandler handler) {
		this.handler = handler;
	}

	/**
	 * Subscribe in the background and start the watchdog; wait at most the pong timeout
	 * for the first subscription and its flush.
	 */
	public void start() {
		Objects.requireNonNull(this.handler, "attach a handler before starting");
		if (this.client != null) {
			this.client.addListener(this.connectionListener);
		}
		long period = this.settings.pingInterval().toMillis();
		this.watchdogThread.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
		try {
			this.firstSubscription.await(this.settings.pongTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The id this instance puts in its messages. */
	public String sourceId() {
		return this.sourceId;
	}

	@Override
	public InvalidationStatistics statistics() {
		return this.stats;
	}

	@Override
	public boolean isSubscribed() {
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		return current != null && current.isOpen() && this.subscribed;
	}

	@Override
	public void keyChanged(String cacheName, String keyDigest) {
		send(InvalidationMessage.evict(this.sourceId, cacheName, keyDigest));
	}

	@Override
	public void keyDropped(String cacheName, String keyDigest) {
		send(InvalidationMessage.drop(this.sourceId, cacheName, keyDigest));
	}

	@Override
	public void cacheCleared(String cacheName) {
		send(InvalidationMessage.clear(this.sourceId, cacheName));
	}

	private boolean send(InvalidationMessage message) {
		// A pending flush request goes out from the watchdog, after Redis has been
		// repaired
		// (never on the caller's thread).
		if (this.publisher.publish(this.channel, message.toBytes())) {
			this.stats.sent.increment();
			return true;
		}
		failedToPublish();
		return false;
	}

	private void published() {
		this.stats.sent.increment();
		if (this.publishing.compareAndSet(false, true)) {
			logger.info("Invalidations are published again");
		}
	}

	private boolean sendFlush() {
		// First undo in Redis what failed to reach it, or peers would read the older
		// values
		// back right after dropping their copies.
		InvalidationHandler target = this.handler;
		if (target != null && !target.repairL2()) {
			return false;
		}
		if (this.publisher.publish(this.channel, InvalidationMessage.flush(this.sourceId).toBytes())) {
			this.flushPeersPending.set(false);
			published();
			return true;
		}
		return false;
	}

	private boolean hasPendingRepairs() {
		InvalidationHandler target = this.handler;
		return target != null && target.hasPendingRepairs();
	}

	private void failedToPublish() {
		this.stats.publishFailures.increment();
		this.flushPeersPending.set(true);
		if (this.publishing.compareAndSet(true, false)) {
			logger.warn("Could not publish a cache invalidation; other instances will be asked to drop their "
					+ "in-process entries once Redis is reachable again");
		}
	}

	/**
	 * Watchdog: (re)connect, PING the subscription, check run_id, send a pending flush.
	 */
	private void tick() {
		if (this.closed) {
			return;
		}
		try {
			overflowTick();
			StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
			if (current == null) {
				connect();
			}
			else if (current.isOpen()) {
				pingSubscription(current);
			}
			else {
				// Down. Lettuce may be reconnecting it (and would subscribe it again), or
				// may
				// not (auto-reconnect off, closed): replace it, closing it first, so that
				// exactly
				// one connection is ever subscribed.
				this.subscribed = false;
				this.connection = null;
				closeQuietly(current);
				connect();
			}
			checkRunId();
			if (this.flushPeersPending.get() || hasPendingRepairs()) {
				// A change that missed Redis may still have been announced: once it is
				// repaired
				// there, peers drop what they may have read back meanwhile.
				sendFlush();
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Invalidation watchdog tick failed", ex);
		}
	}

	private void connect() {
		StatefulRedisPubSubConnection<byte[], byte[]> fresh;
		try {
			fresh = this.connector.apply(ByteArrayCodec.INSTANCE);
		}
		catch (RuntimeException ex) {
			if (!this.connectFailedBefore) {
				logger.warn("Cache invalidation channel not subscribed: " + ex.getClass().getSimpleName() + ": "
						+ ex.getMessage() + "; retrying every " + this.settings.pingInterval().toMillis() + "ms");
			}
			this.connectFailedBefore = true;
			this.firstSubscription.countDown();
			return;
		}
		fresh.addListener(new Listener());
		this.connection = fresh;
		try {
			// Not the data commands' short timeout: subscribing may take a round trip or
			// two.
			fresh.async().subscribe(this.channel).get(this.settings.pongTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			closeQuietly(fresh);
			this.connection = null;
		}
		catch (Exception ex) {
			this.connectFailedBefore = true;
			this.firstSubscription.countDown();
			closeQuietly(fresh);
			this.connection = null;
		}
	}

	private void pingSubscription(StatefulRedisPubSubConnection<byte[], byte[]> current) {
		try {
			current.async().ping().get(this.settings.pongTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.warn("The cache invalidation subscription did not answer PING within "
					+ this.settings.pongTimeout().toMillis() + "ms; replacing it");
			this.subscribed = false;
			this.connection = null;
			closeQuietly(current);
			flush(FlushReason.WATCHDOG);
			connect();
		}
	}

	private void checkRunId() {
		if (!this.runIdAvailable) {
			return;
		}
		String runId;
		try {
			runId = this.runIdSource.get();
		}
		catch (RuntimeException ex) {
			if (String.valueOf(ex.getMessage()).contains("NOPERM") || hasCauseMessage(ex, "NOPERM")) {
				this.runIdAvailable = false;
				logger.info("Redis's run_id cannot be read (INFO is not permitted for this user); a restart of Redis "
						+ "is still detected through the dropped subscription");
			}
			return;
		}
		if (runId == null) {
			return;
		}
		String previous = this.lastRunId;
		this.lastRunId = runId;
		if (previous != null && !previous.equals(runId)) {
			flush(FlushReason.RUN_ID);
		}
	}

	private static boolean hasCauseMessage(Throwable ex, String text) {
		for (Throwable t = ex; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t.getMessage() != null && t.getMessage().contains(text)) {
				return true;
			}
		}
		return false;
	}

	private void flush(FlushReason reason) {
		InvalidationHandler target = this.handler;
		if (target != null) {
			target.flushAll(reason);
		}
	}

	private void subscriptionConfirmed() {
		flush(FlushReason.RESUBSCRIBE);
		this.subscribed = true;
		this.firstSubscription.countDown();
	}

	private void onMessage(byte[] message) {
		if (message.length > this.settings.maxMessageSize()) {
			this.stats.droppedOversized.increment();
			return;
		}
		InvalidationMessage parsed;
		try {
			parsed = InvalidationMessage.parse(message);
		}
		catch (IllegalArgumentException ex) {
			this.stats.droppedMalformed.increment();
			logger.debug("Dropped an invalidation message: " + ex.getMessage());
			return;
		}
		if (this.sourceId.equals(parsed.src())) {
			return;
		}
		InvalidationHandler target = this.handler;
		switch (parsed.op()) {
			case InvalidationMessage.EVICT -> target.keyInvalidated(parsed.cache(), parsed.key());
			case InvalidationMessage.DROP -> target.keyDropped(parsed.cache(), parsed.key());
			case InvalidationMessage.CLEAR -> target.cacheInvalidated(parsed.cache());
			default -> target.flushAll(FlushReason.PEER);
		}
		// Counted once applied, so that a count seen means the entries are gone.
		this.stats.received.increment();
	}

	private void offload(Runnable task) {
		try {
			this.handlerThread.execute(task);
		}
		catch (RejectedExecutionException ex) {
			if (this.closed) {
				return;
			}
			this.stats.droppedOverflow.increment();
			// The first drop flushes at once (on the watchdog thread, which does not wait
			// for
			// the handler); drops after that are covered by one flush per watchdog tick
			// while
			// they go on, not one each: a burst would otherwise flush (and log) hundreds
			// of
			// times, and keep L1 from caching anything while it lasts.
			this.droppedSinceOverflowFlush.set(true);
			if (this.overflowing.compareAndSet(false, true)) {
				this.watchdogThread.execute(this::overflowFlush);
			}
		}
	}

	/** Flush for the messages dropped so far. */
	private void overflowFlush() {
		this.droppedSinceOverflowFlush.set(false);
		flush(FlushReason.OVERFLOW);
	}

	/**
	 * Watchdog: while messages are being dropped, flush once per tick for those dropped
	 * since the last flush; the first tick without new drops ends the overflow, so that
	 * the next drop flushes at once again.
	 */
	private void overflowTick() {
		if (!this.overflowing.get()) {
			return;
		}
		if (this.droppedSinceOverflowFlush.get()) {
			overflowFlush();
			return;
		}
		this.overflowing.set(false);
		// A drop that saw the overflow still on just before it ended has not been flushed
		// for.
		if (this.droppedSinceOverflowFlush.get() && this.overflowing.compareAndSet(false, true)) {
			overflowFlush();
		}
	}

	@Override
	public void close() {
		this.closed = true;
		if (this.client != null) {
			this.client.removeListener(this.connectionListener);
		}
		this.watchdogThread.shutdownNow();
		this.handlerThread.shutdownNow();
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		this.connection = null;
		if (current != null) {
			closeQuietly(current);
		}
	}

	private static void closeQuietly(StatefulRedisPubSubConnection<byte[], byte[]> connection) {
		try {
			connection.closeAsync();
		}
		catch (RuntimeException ex) {
			logger.debug("Closing the invalidation subscription failed", ex);
		}
	}

	/** Publishes on the data connection. */
	@FunctionalInterface
	public interface Publisher {

		/**
		 * Publish a message.
		 * @param channel the channel
		 * @param message the message
		 * @return whether it was published
		 */
		boolean publish(byte[] channel, byte[] message);

	}

	/**
	 * Channel and timing of the bus.
	 *
	 * @param channel the channel name
	 * @param pingInterval how often the subscription is checked (and reconnected)
	 * @param pongTimeout how long a PING may take before the subscription is deemed dead
	 * @param queueCapacity messages waiting to be applied before newer ones are dropped
	 * (and everything is flushed)
	 * @param maxMessageSize largest message accepted, in bytes
	 */
	public record Settings(String channel, Duration pingInterval, Duration pongTimeout, int queueCapacity,
			int maxMessageSize) {
	}

	private final class Listener extends RedisPubSubAdapter<byte[], byte[]> {

		@Override
		public void message(byte[] channel, byte[] message) {
			offload(() -> onMessage(message));
		}

		@Override
		public void subscribed(byte[] channel, long count) {
			// Every subscription, the first one included, follows a time in which
			// messages were
			// not received (before it existed, or while its connection was down), and
			// entries
			// may have been cached meanwhile: drop them, in order with the messages that
			// follow.
			try {
				RedisInvalidationBus.this.handlerThread.execute(RedisInvalidationBus.this::subscriptionConfirmed);
			}
			catch (RejectedExecutionException full) {
				// Queue full (an overflow flush is on its way too) or closed.
				try {
					RedisInvalidationBus.this.watchdogThread.execute(RedisInvalidationBus.this::subscriptionConfirmed);
				}
				catch (RejectedExecutionException closed) {
					// closed: nothing to do
				}
			}
		}

	}

	private final class ConnectionListener implements RedisConnectionStateListener {

		@Override
		public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
			if (disconnected == RedisInvalidationBus.this.connection && !RedisInvalidationBus.this.closed) {
				RedisInvalidationBus.this.subscribed = false;
				offload(() -> flush(FlushReason.DISCONNECT));
			}
		}

	}

}
