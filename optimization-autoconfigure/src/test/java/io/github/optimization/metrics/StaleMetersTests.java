package io.github.optimization.metrics;

import java.time.Duration;
import java.util.List;

import io.github.optimization.cache.CacheSpec;
import io.github.optimization.cache.FakeTicker;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters of stale serves and background refreshes: every series exists from the start
 * and follows the cache's counts.
 */
class StaleMetersTests {

	private final FakeTicker ticker = new FakeTicker();

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private TieredCache cache() {
		CacheSpec spec = CacheSpec.builder()
			.ttl(Duration.ofSeconds(10))
			.ttlJitter(0)
			.staleWhileRevalidate(Duration.ofSeconds(30))
			.staleIfError(Duration.ofMinutes(5))
			.refreshAhead(0.2)
			.build("t");
		TieredCache cache = (TieredCache) TieredCacheManager.builder()
			.cache("users", spec)
			.ticker(this.ticker)
			.executor(Runnable::run)
			.asyncExecutor(Runnable::run)
			.build()
			.getCache("users");
		new TieredCacheMeterBinder(cache, List.of()).bindTo(this.registry);
		return cache;
	}

	private double count(String name, String... tags) {
		return this.registry.get(name).tag("cache", "users").tags(tags).functionCounter().count();
	}

	@Test
	void everySeriesExistsFromTheStart() {
		cache();
		assertThat(this.registry.find(MeterNames.CACHE_STALE_SERVED).functionCounters()).hasSize(2);
		assertThat(this.registry.find(MeterNames.CACHE_REFRESHES).functionCounters()).hasSize(4);
		assertThat(count(MeterNames.CACHE_REFRESHES, "trigger", "ahead", "result", "failure")).isZero();
	}

	@Test
	void countsFollowTheCache() {
		TieredCache cache = cache();
		cache.get("k", () -> "v1");
		this.ticker.advance(Duration.ofSeconds(9));
		cache.get("k", () -> "v2");
		assertThat(count(MeterNames.CACHE_REFRESHES, "trigger", "ahead", "result", "success")).isEqualTo(1);
		this.ticker.advance(Duration.ofSeconds(10));
		cache.get("k", () -> {
			throw new IllegalStateException("down");
		});
		assertThat(count(MeterNames.CACHE_STALE_SERVED, "reason", "revalidate")).isEqualTo(1);
		assertThat(count(MeterNames.CACHE_REFRESHES, "trigger", "stale", "result", "failure")).isEqualTo(1);
		this.ticker.advance(Duration.ofMinutes(1));
		cache.get("k", () -> {
			throw new IllegalStateException("down");
		});
		assertThat(count(MeterNames.CACHE_STALE_SERVED, "reason", "error")).isEqualTo(1);
	}

}
