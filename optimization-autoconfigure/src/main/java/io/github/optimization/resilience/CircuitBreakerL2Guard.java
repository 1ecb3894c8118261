package io.github.optimization.resilience;

import java.util.concurrent.TimeUnit;

import io.github.optimization.cache.L2Guard;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * An {@link L2Guard} backed by a resilience4j {@link CircuitBreaker}: calls are made only
 * while the breaker permits them (closed, or a half-open probe), outcomes are reported
 * with their duration, so slow calls open it as well as failures. Thread-safe.
 */
public final class CircuitBreakerL2Guard implements L2Guard {

	private final CircuitBreaker breaker;

	/**
	 * Create a guard.
	 * @param breaker the breaker, configured e.g. by {@link RedisCircuitBreakerDefaults}
	 */
	public CircuitBreakerL2Guard(CircuitBreaker breaker) {
		this.breaker = breaker;
	}

	/** The breaker. */
	public CircuitBreaker getCircuitBreaker() {
		return this.breaker;
	}

	@Override
	public boolean tryAcquire() {
		return this.breaker.tryAcquirePermission();
	}

	@Override
	public void release() {
		this.breaker.releasePermission();
	}

	@Override
	public void onSuccess(long nanos) {
		this.breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void onError(long nanos, Throwable error) {
		this.breaker.onError(nanos, TimeUnit.NANOSECONDS, error);
	}

	@Override
	public boolean isTimeout(Throwable error) {
		return RedisFailures.isTimeout(error);
	}

	@Override
	public boolean isUnavailable(Throwable error) {
		return RedisFailures.isUnavailable(error);
	}

	@Override
	public String state() {
		return this.breaker.getState().name();
	}

}
