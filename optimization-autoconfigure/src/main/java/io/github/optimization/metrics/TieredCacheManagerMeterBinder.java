package io.github.optimization.metrics;

import io.github.optimization.cache.FlushReason;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.cache.redis.InvalidationStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of a cache manager as a whole: in-process flushes by reason and, when instances
 * exchange invalidations, messages sent, received, dropped and not published.
 */
public class TieredCacheManagerMeterBinder implements MeterBinder {

	private final TieredCacheManager manager;

	private final InvalidationStatistics invalidations;

	private final Tags tags;

	/**
	 * Create a binder.
	 * @param manager the manager
	 * @param invalidations the invalidation bus's counts, or {@code null} without a bus
	 * @param tags tags, e.g. {@code cache.manager}
	 */
	public TieredCacheManagerMeterBinder(TieredCacheManager manager, InvalidationStatistics invalidations, Tags tags) {
		this.manager = manager;
		this.invalidations = invalidations;
		this.tags = tags;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (FlushReason reason : FlushReason.values()) {
			FunctionCounter.builder(MeterNames.L1_FLUSHES, this.manager, (m) -> m.flushCount(reason))
				.tags(this.tags)
				.tag("reason", reason.tagValue())
				.description("Times every in-process entry was dropped because invalidations may have been lost")
				.register(registry);
		}
		InvalidationStatistics s = this.invalidations;
		if (s == null) {
			return;
		}
		FunctionCounter.builder(MeterNames.INVALIDATIONS_SENT, s, InvalidationStatistics::sent)
			.tags(this.tags)
			.description("Invalidation messages published to other instances")
			.register(registry);
		FunctionCounter.builder(MeterNames.INVALIDATIONS_RECEIVED, s, InvalidationStatistics::received)
			.tags(this.tags)
			.description("Invalidation messages from other instances that were applied")
			.register(registry);
		FunctionCounter.builder(MeterNames.INVALIDATIONS_PUBLISH_FAILURES, s, InvalidationStatistics::publishFailures)
			.tags(this.tags)
			.description("Invalidation messages that could not be published")
			.register(registry);
		for (String reason : new String[] { "malformed", "oversized", "overflow" }) {
			FunctionCounter.builder(MeterNames.INVALIDATIONS_DROPPED, s, (stats) -> stats.dropped(reason))
				.tags(this.tags)
				.tag("reason", reason)
				.description("Invalidation messages dropped")
				.register(registry);
		}
	}

}
