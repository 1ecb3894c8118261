package io.github.optimization.cache.redis;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.optimization.cache.FlushReason;
import io.github.optimization.cache.InvalidationHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Applies what arrives on the invalidation channel to the {@link InvalidationHandler}, on
 * a thread of its own with a bounded queue, never on the Redis client's event loop.
 * Malformed, oversized and own messages are dropped (the first two counted). When the
 * queue is full, messages are dropped and counted, and everything is flushed instead: the
 * first drop flushes at once (on the watchdog's thread, which does not wait for the
 * handler), later ones once per watchdog tick while they go on ({@link #overflowTick()}).
 * Thread-safe.
 */
final class InvalidationReceiver {

	// Logs under the bus's name, where the documentation shows its lines.
	private static final Log logger = LogFactory.getLog(RedisInvalidationBus.class);

	private final String sourceId;

	private final int maxMessageSize;

	private final InvalidationStatistics stats;

	private final ThreadPoolExecutor handlerThread;

	private final Executor watchdogThread;

	/**
	 * Messages are being dropped because the queue is full: the first drop flushed at
	 * once, later ones are covered by the watchdog's ticks until one finds no new drop.
	 */
	private final AtomicBoolean overflowing = new AtomicBoolean();

	/** A message was dropped after the last overflow flush started. */
	private final AtomicBoolean droppedSinceOverflowFlush = new AtomicBoolean();

	private volatile InvalidationHandler handler;

	private volatile boolean closed;

	/**
	 * Create a receiver.
	 * @param sourceId the id of this instance's own messages, which are ignored
	 * @param settings the queue's capacity and the largest message accepted
	 * @param stats where receptions and drops are counted
	 * @param watchdogThread the watchdog's thread, for flushes that must not wait for the
	 * handler's thread
	 */
	InvalidationReceiver(String sourceId, RedisInvalidationBus.Settings settings, InvalidationStatistics stats,
			Executor watchdogThread) {
		this.sourceId = sourceId;
		this.maxMessageSize = settings.maxMessageSize();
		this.stats = stats;
		this.watchdogThread = watchdogThread;
		this.handlerThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(settings.queueCapacity()),
				DaemonThreads.named("optimization-cache-invalidation"));
	}

	/** Set where invalidations go. */
	void attach(InvalidationHandler handler) {
		this.handler = handler;
	}

	/** Where invalidations go, or {@code null} before {@link #attach}. */
	InvalidationHandler handler() {
		return this.handler;
	}

	/** A message arrived; it is applied on the handler's thread. */
	void received(byte[] message) {
		offload(() -> apply(message));
	}

	/**
	 * Run a task in order with the messages, or, when the queue is full (an overflow
	 * flush is on its way too), on the watchdog's thread.
	 */
	void inOrder(Runnable task) {
		try {
			this.handlerThread.execute(task);
		}
		catch (RejectedExecutionException full) {
			try {
				this.watchdogThread.execute(task);
			}
			catch (RejectedExecutionException closed) {
				// closed: nothing to do
			}
		}
	}

	/** The subscription dropped: flush, in order with the messages received before. */
	void disconnected() {
		offload(() -> flush(FlushReason.DISCONNECT));
	}

	/** Drop every in-process entry of every cache. */
	void flush(FlushReason reason) {
		InvalidationHandler target = this.handler;
		if (target != null) {
			target.flushAll(reason);
		}
	}

	private void apply(byte[] message) {
		if (message.length > this.maxMessageSize) {
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
			// for the handler); drops after that are covered by one flush per watchdog
			// tick while they go on, not one each: a burst would otherwise flush (and
			// log)
			// hundreds of times, and keep L1 from caching anything while it lasts.
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
	void overflowTick() {
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

	/** Stop applying messages; those still queued are dropped. */
	void close() {
		this.closed = true;
		this.handlerThread.shutdownNow();
	}

}
