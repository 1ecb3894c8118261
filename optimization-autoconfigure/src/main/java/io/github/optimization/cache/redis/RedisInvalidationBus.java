package io.github.optimization.cache.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.optimization.cache.InvalidationHandler;
import io.github.optimization.cache.InvalidationPublisher;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

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
 * serves. A watchdog checks the subscription, Redis's {@code run_id} and pending flushes
 * every ping interval. The work is split between a {@code RedisInvalidationPublisher}, a
 * {@code RedisInvalidationSubscriber}, the {@code InvalidationReceiver} that applies
 * messages and a {@code RunIdWatch}.
 */
public final class RedisInvalidationBus implements InvalidationPublisher, InvalidationBusState, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisInvalidationBus.class);

	private final Settings settings;

	private final String sourceId = UUID.randomUUID().toString();

	private final InvalidationStatistics stats = new InvalidationStatistics();

	private final ScheduledExecutorService watchdogThread;

	private final RedisInvalidationPublisher publisher;

	private final InvalidationReceiver receiver;

	private final RedisInvalidationSubscriber subscriber;

	private final RunIdWatch runIdWatch;

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
		this.watchdogThread = Executors
			.newSingleThreadScheduledExecutor(DaemonThreads.named("optimization-cache-watchdog"));
		this.publisher = new RedisInvalidationPublisher(settings.channel(), this.sourceId, publisher, this.stats);
		this.receiver = new InvalidationReceiver(this.sourceId, settings, this.stats, this.watchdogThread);
		this.subscriber = new RedisInvalidationSubscriber(settings, client, connector, this.receiver);
		this.runIdWatch = new RunIdWatch(runIdSource, this.receiver::flush);
	}

	/**
	 * Create a bus that subscribes with the client of a Lettuce connection factory
	 * (standalone, sentinel or cluster).
	 * @param settings channel and timing
	 * @param factory the factory whose client opens the subscription
	 * @param publisher publishes on the data connection (through the circuit breaker)
	 * @param runIdSource reads Redis's {@code run_id}, or returns {@code null} when it
	 * cannot
	 * @return the bus
	 */
	public static RedisInvalidationBus subscribingWith(Settings settings, LettuceConnectionFactory factory,
			Publisher publisher, Supplier<String> runIdSource) {
		return new RedisInvalidationBus(settings, factory.getNativeClient(), new LettucePubSubConnector(factory),
				publisher, runIdSource);
	}

	/**
	 * Set where received invalidations go. Must be called before {@link #start()}.
	 * @param handler the handler, typically the cache manager
	 */
	public void attach(InvalidationHandler handler) {
		this.receiver.attach(handler);
	}

	/**
	 * Subscribe in the background and start the watchdog; wait at most the pong timeout
	 * for the first subscription and its flush.
	 */
	public void start() {
		Objects.requireNonNull(this.receiver.handler(), "attach a handler before starting");
		this.subscriber.start();
		long period = this.settings.pingInterval().toMillis();
		this.watchdogThread.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
		this.subscriber.awaitFirstSubscription();
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
		return this.subscriber.isSubscribed();
	}

	@Override
	public void keyChanged(String cacheName, String keyDigest) {
		this.publisher.keyChanged(cacheName, keyDigest);
	}

	@Override
	public void keyDropped(String cacheName, String keyDigest) {
		this.publisher.keyDropped(cacheName, keyDigest);
	}

	@Override
	public void cacheCleared(String cacheName) {
		this.publisher.cacheCleared(cacheName);
	}

	/**
	 * Watchdog: end or continue an overflow, (re)connect or PING the subscription, check
	 * the run_id, send a pending flush.
	 */
	private void tick() {
		if (this.closed) {
			return;
		}
		try {
			this.receiver.overflowTick();
			this.subscriber.check();
			this.runIdWatch.check();
			this.publisher.flushPeersIfPending(this.receiver.handler());
		}
		catch (RuntimeException ex) {
			logger.debug("Invalidation watchdog tick failed", ex);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.receiver.close();
		this.watchdogThread.shutdownNow();
		this.subscriber.close();
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

}
