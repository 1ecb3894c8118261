package io.github.optimization.resilience;

import java.util.function.Predicate;

/**
 * {@link RedisFailures#isUnavailable(Throwable)} as a class, so a breaker configured
 * through resilience4j's own properties can record the same failures as the starter's
 * default:
 * {@code resilience4j.circuitbreaker.instances.optimization-cache-redis.record-failure-predicate:
 * io.github.optimization.resilience.RedisUnavailablePredicate}.
 */
public class RedisUnavailablePredicate implements Predicate<Throwable> {

	@Override
	public boolean test(Throwable error) {
		return RedisFailures.isUnavailable(error);
	}

}
