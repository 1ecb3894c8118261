package io.github.optimization.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A ticker tests move by hand, so expiry is tested without waiting.
 */
public final class FakeTicker implements Ticker {

	private final AtomicLong nanos = new AtomicLong();

	@Override
	public long read() {
		return this.nanos.get();
	}

	/**
	 * Move time forward.
	 * @param duration how far
	 * @return this ticker
	 */
	public FakeTicker advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
		return this;
	}

}
