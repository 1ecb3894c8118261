package io.github.optimization.cache.redis;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running counts of the invalidation bus. Thread-safe; counts only grow.
 */
public final class InvalidationStatistics {

	final LongAdder sent = new LongAdder();

	final LongAdder publishFailures = new LongAdder();

	final LongAdder received = new LongAdder();

	final LongAdder droppedMalformed = new LongAdder();

	final LongAdder droppedOversized = new LongAdder();

	final LongAdder droppedOverflow = new LongAdder();

	/** Messages published. */
	public long sent() {
		return this.sent.sum();
	}

	/** Messages that could not be published (Redis down or breaker open). */
	public long publishFailures() {
		return this.publishFailures.sum();
	}

	/** Valid messages from other instances that were applied. */
	public long received() {
		return this.received.sum();
	}

	/**
	 * Messages dropped for a reason.
	 * @param reason {@code malformed}, {@code oversized} or {@code overflow}
	 * @return the count
	 */
	public long dropped(String reason) {
		return switch (reason) {
			case "malformed" -> this.droppedMalformed.sum();
			case "oversized" -> this.droppedOversized.sum();
			case "overflow" -> this.droppedOverflow.sum();
			default -> throw new IllegalArgumentException("unknown reason " + reason);
		};
	}

}
