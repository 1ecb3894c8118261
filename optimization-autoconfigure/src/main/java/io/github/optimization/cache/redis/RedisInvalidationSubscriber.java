package io.github.optimization.cache.redis;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.optimization.cache.FlushReason;
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
 * The subscription to the invalidation channel: opens it, checks it with a PING on every
 * watchdog tick and replaces it when it is down or does not answer, and hands what
 * arrives to the {@link InvalidationReceiver}. Every subscription, the first one
 * included, follows a time in which messages were not received, so its confirmation
 * flushes (counted as {@code RESUBSCRIBE}); a dropped subscription flushes too
 * ({@code DISCONNECT}), and so does an unanswered PING ({@code WATCHDOG}). Exactly one
 * connection is ever subscribed. Thread-safe; {@link #check()} runs on the watchdog's
 * thread only.
 */
final class RedisInvalidationSubscriber {

	// Logs under the bus's name, where the documentation shows its lines.
	private static final Log logger = LogFactory.getLog(RedisInvalidationBus.class);

	private final byte[] channel;

	private final RedisInvalidationBus.Settings settings;

	private final AbstractRedisClient client;

	private final Function<RedisCodec<byte[], byte[]>, StatefulRedisPubSubConnection<byte[], byte[]>> connector;

	private final InvalidationReceiver receiver;

	private final CountDownLatch firstSubscription = new CountDownLatch(1);

	private final ConnectionListener connectionListener = new ConnectionListener();

	private volatile StatefulRedisPubSubConnection<byte[], byte[]> connection;

	/**
	 * Whether the current connection's subscription is confirmed and what was cached
	 * before it has been dropped.
	 */
	private volatile boolean subscribed;

	private volatile boolean connectFailedBefore;

	private volatile boolean closed;

	/**
	 * Create a subscriber.
	 * @param settings channel and timing
	 * @param client the Lettuce client whose pub/sub connection it uses (its state events
	 * tell when the subscription drops), or {@code null}
	 * @param connector opens a pub/sub connection with that client
	 * @param receiver applies what arrives
	 */
	RedisInvalidationSubscriber(RedisInvalidationBus.Settings settings, AbstractRedisClient client,
			Function<RedisCodec<byte[], byte[]>, StatefulRedisPubSubConnection<byte[], byte[]>> connector,
			InvalidationReceiver receiver) {
		this.channel = settings.channel().getBytes(StandardCharsets.UTF_8);
		this.settings = settings;
		this.client = client;
		this.connector = connector;
		this.receiver = receiver;
	}

	/** Listen to the client's connection events. */
	void start() {
		if (this.client != null) {
			this.client.addListener(this.connectionListener);
		}
	}

	/**
	 * Wait at most the pong timeout for the first subscription and its flush (not at all
	 * once connecting has failed).
	 */
	void awaitFirstSubscription() {
		try {
			this.firstSubscription.await(this.settings.pongTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Whether the subscription is currently established. */
	boolean isSubscribed() {
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		return current != null && current.isOpen() && this.subscribed;
	}

	/** Watchdog: (re)connect, or PING the subscription. */
	void check() {
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		if (current == null) {
			connect();
		}
		else if (current.isOpen()) {
			ping(current);
		}
		else {
			// Down. Lettuce may be reconnecting it (and would subscribe it again), or may
			// not (auto-reconnect off, closed): replace it, closing it first, so that
			// exactly one connection is ever subscribed.
			this.subscribed = false;
			this.connection = null;
			closeQuietly(current);
			connect();
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
		fresh.addListener(new MessageListener());
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

	private void ping(StatefulRedisPubSubConnection<byte[], byte[]> current) {
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
			this.receiver.flush(FlushReason.WATCHDOG);
			connect();
		}
	}

	private void confirmed() {
		this.receiver.flush(FlushReason.RESUBSCRIBE);
		this.subscribed = true;
		this.firstSubscription.countDown();
	}

	/** Stop listening and close the subscription. */
	void close() {
		this.closed = true;
		if (this.client != null) {
			this.client.removeListener(this.connectionListener);
		}
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

	private final class MessageListener extends RedisPubSubAdapter<byte[], byte[]> {

		@Override
		public void message(byte[] channel, byte[] message) {
			RedisInvalidationSubscriber.this.receiver.received(message);
		}

		@Override
		public void subscribed(byte[] channel, long count) {
			// Every subscription, the first one included, follows a time in which
			// messages
			// were not received (before it existed, or while its connection was down),
			// and
			// entries may have been cached meanwhile: drop them, in order with the
			// messages that follow.
			RedisInvalidationSubscriber.this.receiver.inOrder(RedisInvalidationSubscriber.this::confirmed);
		}

	}

	private final class ConnectionListener implements RedisConnectionStateListener {

		@Override
		public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
			RedisInvalidationSubscriber subscriber = RedisInvalidationSubscriber.this;
			if (disconnected == subscriber.connection && !subscriber.closed) {
				subscriber.subscribed = false;
				subscriber.receiver.disconnected();
			}
		}

	}

}
