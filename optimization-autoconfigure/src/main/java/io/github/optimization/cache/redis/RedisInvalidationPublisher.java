package io.github.optimization.cache.redis;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.optimization.cache.InvalidationHandler;
import io.github.optimization.cache.InvalidationPublisher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Publishes every put and eviction (cache, key digest, source id) on the invalidation
 * channel. A publish that fails (Redis down or the breaker open) is counted, and once
 * publishing works again a {@code flush} is sent, from the watchdog's thread and never
 * the caller's, so peers drop what they may have missed. Thread-safe; never throws.
 */
final class RedisInvalidationPublisher implements InvalidationPublisher {

	// Logs under the bus's name, where the documentation shows its lines.
	private static final Log logger = LogFactory.getLog(RedisInvalidationBus.class);

	private final byte[] channel;

	private final String sourceId;

	private final RedisInvalidationBus.Publisher publisher;

	private final InvalidationStatistics stats;

	private final AtomicBoolean flushPeersPending = new AtomicBoolean();

	private final AtomicBoolean publishing = new AtomicBoolean(true);

	/**
	 * Create a publisher.
	 * @param channel the channel name
	 * @param sourceId the id this instance puts in its messages
	 * @param publisher publishes on the data connection
	 * @param stats where sent messages and failures are counted
	 */
	RedisInvalidationPublisher(String channel, String sourceId, RedisInvalidationBus.Publisher publisher,
			InvalidationStatistics stats) {
		this.channel = channel.getBytes(StandardCharsets.UTF_8);
		this.sourceId = sourceId;
		this.publisher = publisher;
		this.stats = stats;
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

	private void send(InvalidationMessage message) {
		// A pending flush request goes out from the watchdog, after Redis has been
		// repaired (never on the caller's thread).
		if (this.publisher.publish(this.channel, message.toBytes())) {
			this.stats.sent.increment();
			return;
		}
		failedToPublish();
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
	 * Watchdog: a publish failed, or a change that missed Redis may still have been
	 * announced; once it is repaired there, ask peers to drop what they may have read
	 * back meanwhile.
	 * @param handler the handler whose failed changes are repaired first, or {@code null}
	 */
	void flushPeersIfPending(InvalidationHandler handler) {
		if (this.flushPeersPending.get() || (handler != null && handler.hasPendingRepairs())) {
			sendFlush(handler);
		}
	}

	private void sendFlush(InvalidationHandler handler) {
		// First undo in Redis what failed to reach it, or peers would read the older
		// values back right after dropping their copies.
		if (handler != null && !handler.repairL2()) {
			return;
		}
		if (this.publisher.publish(this.channel, InvalidationMessage.flush(this.sourceId).toBytes())) {
			this.flushPeersPending.set(false);
			this.stats.sent.increment();
			if (this.publishing.compareAndSet(false, true)) {
				logger.info("Invalidations are published again");
			}
		}
	}

}
