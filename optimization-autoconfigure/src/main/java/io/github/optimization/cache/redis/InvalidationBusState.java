package io.github.optimization.cache.redis;

/**
 * What the invalidation bus tells metrics and health, without their depending on the
 * Redis client's types.
 */
public interface InvalidationBusState {

	/** Running counts of messages. */
	InvalidationStatistics statistics();

	/** Whether the subscription is currently established. */
	boolean isSubscribed();

}
