package io.github.optimization.metrics;

import java.util.concurrent.TimeUnit;

import io.github.optimization.cache.RefreshTrigger;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheStatistics;
import io.github.optimization.cache.TieredCacheStatistics.LockAttempt;
import io.github.optimization.cache.TieredCacheStatistics.LockRelease;
import io.github.optimization.cache.TieredCacheStatistics.LockWait;
import io.github.optimization.cache.codec.RejectReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * Binds a {@link TieredCache}'s statistics: the standard cache meters
 * ({@code cache.gets}, {@code cache.puts}, {@code cache.evictions}, {@code cache.size})
 * so existing dashboards work, plus the tier detail under {@code optimization.cache.*}
 * (see {@link MeterNames}). Meters read counters the cache keeps anyway, so the read path
 * never looks up a meter.
 */
public class TieredCacheMeterBinder extends CacheMeterBinder<TieredCache> {

	private final TieredCacheStatistics stats;

	/**
	 * Create a binder.
	 * @param cache the cache
	 * @param tags extra tags, e.g. {@code cache.manager}
	 */
	public TieredCacheMeterBinder(TieredCache cache, Iterable<Tag> tags) {
		super(cache, cache.getName(), tags);
		this.stats = cache.getStatistics();
	}

	@Override
	protected Long size() {
		TieredCache cache = getCache();
		return (cache != null) ? cache.estimatedL1Size() : null;
	}

	@Override
	protected long hitCount() {
		return this.stats.l1Hits() + this.stats.l2Hits();
	}

	@Override
	protected Long missCount() {
		return this.stats.misses();
	}

	@Override
	protected Long evictionCount() {
		return this.stats.evictions();
	}

	@Override
	protected long putCount() {
		return this.stats.puts();
	}

	@Override
	protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
		bindLookupMetrics(registry);
		bindL2Metrics(registry);
		bindFreshnessMetrics(registry);
		for (RejectReason reason : RejectReason.values()) {
			FunctionCounter.builder(MeterNames.CACHE_CODEC_REJECTS, this.stats, (stats) -> stats.rejects(reason))
				.tags(getTagsWithCacheName())
				.tag("reason", reason.tagValue())
				.description("Values refused by the codec")
				.register(registry);
		}
		TieredCache cache = getCache();
		if (cache != null && cache.isTwoLevel() && cache.getSpec().clusterSingleFlight()) {
			bindLockMetrics(registry);
		}
	}

	private void bindLookupMetrics(MeterRegistry registry) {
		TieredCacheStatistics s = this.stats;
		FunctionCounter.builder(MeterNames.CACHE_HITS, s, TieredCacheStatistics::l1Hits)
			.tags(getTagsWithCacheName())
			.tag("tier", "l1")
			.description("Lookups answered by a level of the cache (tier l1: in-process, l2: Redis)")
			.register(registry);
		FunctionCounter.builder(MeterNames.CACHE_HITS, s, TieredCacheStatistics::l2Hits)
			.tags(getTagsWithCacheName())
			.tag("tier", "l2")
			.description("Lookups answered by a level of the cache (tier l1: in-process, l2: Redis)")
			.register(registry);
		FunctionCounter.builder(MeterNames.CACHE_MISSES, s, TieredCacheStatistics::misses)
			.tags(getTagsWithCacheName())
			.description("Lookups answered by neither level")
			.register(registry);
		FunctionTimer
			.builder(MeterNames.CACHE_LOADS, s, TieredCacheStatistics::loadSuccesses,
					TieredCacheStatistics::loadSuccessNanos, TimeUnit.NANOSECONDS)
			.tags(getTagsWithCacheName())
			.tag("result", "success")
			.description("Loader calls after a miss")
			.register(registry);
		FunctionTimer
			.builder(MeterNames.CACHE_LOADS, s, TieredCacheStatistics::loadFailures,
					TieredCacheStatistics::loadFailureNanos, TimeUnit.NANOSECONDS)
			.tags(getTagsWithCacheName())
			.tag("result", "failure")
			.description("Loader calls after a miss")
			.register(registry);
	}

	private void bindL2Metrics(MeterRegistry registry) {
		TieredCacheStatistics s = this.stats;
		FunctionTimer
			.builder(MeterNames.CACHE_L2_REQUESTS, s, TieredCacheStatistics::l2Requests, TieredCacheStatistics::l2Nanos,
					TimeUnit.NANOSECONDS)
			.tags(getTagsWithCacheName())
			.description("Calls to the Redis level")
			.register(registry);
		FunctionCounter.builder(MeterNames.CACHE_L2_ERRORS, s, TieredCacheStatistics::l2Errors)
			.tags(getTagsWithCacheName())
			.description("Calls to the Redis level that failed")
			.register(registry);
		FunctionCounter.builder(MeterNames.CACHE_L2_REJECTED, s, TieredCacheStatistics::l2Rejected)
			.tags(getTagsWithCacheName())
			.description("Calls to the Redis level not made because the circuit breaker was open")
			.register(registry);
		FunctionCounter.builder(MeterNames.CACHE_L2_TIMEOUTS, s, TieredCacheStatistics::l2Timeouts)
			.tags(getTagsWithCacheName())
			.description("Calls to the Redis level that timed out")
			.register(registry);
		FunctionCounter.builder(MeterNames.CACHE_L2_WRITE_BACKS_UNDONE, s, TieredCacheStatistics::writeBacksUndone)
			.tags(getTagsWithCacheName())
			.description("Loaded values written back to Redis and deleted again because another instance "
					+ "changed the key just before")
			.register(registry);
	}

	private void bindFreshnessMetrics(MeterRegistry registry) {
		TieredCacheStatistics s = this.stats;
		FunctionCounter.builder(MeterNames.CACHE_STALE_SERVED, s, TieredCacheStatistics::staleServedWhileRevalidating)
			.tags(getTagsWithCacheName())
			.tag("reason", "revalidate")
			.description("Lookups answered with a stale value (revalidate: while a background refresh runs; "
					+ "error: because the loader threw)")
			.register(registry);
		FunctionCounter.builder(MeterNames.CACHE_STALE_SERVED, s, TieredCacheStatistics::staleServedOnError)
			.tags(getTagsWithCacheName())
			.tag("reason", "error")
			.description("Lookups answered with a stale value (revalidate: while a background refresh runs; "
					+ "error: because the loader threw)")
			.register(registry);
		for (RefreshTrigger trigger : RefreshTrigger.values()) {
			for (boolean success : new boolean[] { true, false }) {
				FunctionCounter.builder(MeterNames.CACHE_REFRESHES, s, (stats) -> stats.refreshes(trigger, success))
					.tags(getTagsWithCacheName())
					.tag("trigger", trigger.tagValue())
					.tag("result", success ? "success" : "failure")
					.description("Background refreshes of entries that were stale or close to expiry")
					.register(registry);
			}
		}
	}

	private void bindLockMetrics(MeterRegistry registry) {
		TieredCacheStatistics s = this.stats;
		for (LockAttempt result : LockAttempt.values()) {
			FunctionCounter.builder(MeterNames.CACHE_LOCK_ACQUISITIONS, s, (stats) -> stats.lockAttempts(result))
				.tags(getTagsWithCacheName())
				.tag("result", result.tagValue())
				.description("Attempts to take a cluster-wide load lock")
				.register(registry);
		}
		for (LockWait result : LockWait.values()) {
			FunctionTimer
				.builder(MeterNames.CACHE_LOCK_WAITS, s, (stats) -> stats.lockWaits(result),
						(stats) -> stats.lockWaitNanos(result), TimeUnit.NANOSECONDS)
				.tags(getTagsWithCacheName())
				.tag("result", result.tagValue())
				.description("Waits for another instance's load of a cold key")
				.register(registry);
		}
		for (LockRelease result : LockRelease.values()) {
			FunctionCounter.builder(MeterNames.CACHE_LOCK_RELEASES, s, (stats) -> stats.lockReleases(result))
				.tags(getTagsWithCacheName())
				.tag("result", result.tagValue())
				.description("Releases of cluster-wide load locks")
				.register(registry);
		}
	}

}
