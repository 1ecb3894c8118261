package io.github.optimization.resilience;

import java.time.Clock;
import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;

/**
 * The circuit breaker configuration of the cache's Redis level: a count-based window, a
 * minimum number of calls before it may open, opening on failure rate or slow-call rate
 * (slow = a large share of the command timeout), automatic transition to half-open, and a
 * bound on how long it may stay half-open. Only failures that mean "Redis is unreachable
 * or slow" are recorded (see {@link RedisFailures}); others are ignored.
 */
public final class RedisCircuitBreakerDefaults {

	private RedisCircuitBreakerDefaults() {
	}

	/**
	 * Build a configuration.
	 * @param settings the settings
	 * @param clock the clock (tests inject one)
	 * @return the configuration
	 */
	public static CircuitBreakerConfig config(Settings settings, Clock clock) {
		return CircuitBreakerConfig.custom()
			.slidingWindow(settings.slidingWindowSize(), settings.minimumNumberOfCalls(), SlidingWindowType.COUNT_BASED)
			.failureRateThreshold(settings.failureRateThreshold())
			.slowCallRateThreshold(settings.slowCallRateThreshold())
			.slowCallDurationThreshold(settings.slowCallDuration())
			.waitDurationInOpenState(settings.waitDurationInOpenState())
			.permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
			.maxWaitDurationInHalfOpenState(settings.maxWaitDurationInHalfOpenState())
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.recordException(RedisFailures::isUnavailable)
			.ignoreException((error) -> !RedisFailures.isUnavailable(error))
			.clock(clock)
			.build();
	}

	/**
	 * The tunable values.
	 *
	 * @param slidingWindowSize calls in the window
	 * @param minimumNumberOfCalls calls before the breaker may open
	 * @param failureRateThreshold percentage of failures that opens it
	 * @param slowCallRateThreshold percentage of slow calls that opens it
	 * @param slowCallDuration how long a call must take to be slow
	 * @param waitDurationInOpenState how long it stays open before probing
	 * @param permittedCallsInHalfOpenState probes while half-open
	 * @param maxWaitDurationInHalfOpenState longest stay in half-open before opening
	 * again
	 */
	public record Settings(int slidingWindowSize, int minimumNumberOfCalls, float failureRateThreshold,
			float slowCallRateThreshold, Duration slowCallDuration, Duration waitDurationInOpenState,
			int permittedCallsInHalfOpenState, Duration maxWaitDurationInHalfOpenState) {
	}

}
