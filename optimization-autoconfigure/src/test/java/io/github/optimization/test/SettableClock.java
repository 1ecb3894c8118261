package io.github.optimization.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A wall clock that stands still until a test moves it: for the expiry times stored in
 * Redis (the in-process level uses a Caffeine {@code Ticker}) and for the circuit
 * breaker's clock. Thread-safe.
 */
public final class SettableClock extends Clock {

	private volatile Instant now;

	public SettableClock(Instant start) {
		this.now = start;
	}

	/**
	 * Move time forward.
	 * @param duration how far
	 * @return this clock
	 */
	public SettableClock advance(Duration duration) {
		this.now = this.now.plus(duration);
		return this;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public Instant instant() {
		return this.now;
	}

}
