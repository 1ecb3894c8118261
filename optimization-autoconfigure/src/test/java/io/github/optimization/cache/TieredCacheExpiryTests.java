package io.github.optimization.cache;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TTLs of the in-process level, driven by a fake ticker (no waiting).
 */
class TieredCacheExpiryTests {

	private final FakeTicker ticker = new FakeTicker();

	private TieredCache cache(CacheSpec spec) {
		return (TieredCache) TieredCacheManager.builder()
			.cache("c", spec)
			.ticker(this.ticker)
			.executor(Runnable::run)
			.build()
			.getCache("c");
	}

	@Test
	void entryExpiresAfterTheCacheTtl() {
		TieredCache cache = cache(CacheSpec.builder().ttl(Duration.ofMinutes(10)).ttlJitter(0).build("t"));
		cache.put("k", "v");
		this.ticker.advance(Duration.ofMinutes(10).minusMillis(1));
		assertThat(cache.get("k")).isNotNull();
		this.ticker.advance(Duration.ofMillis(1));
		assertThat(cache.get("k")).isNull();
	}

	@Test
	void cachedNullExpiresAfterTheNullTtl() {
		TieredCache cache = cache(CacheSpec.builder()
			.ttl(Duration.ofMinutes(10))
			.nullTtl(Duration.ofSeconds(30))
			.ttlJitter(0)
			.build("t"));
		Object loaded = cache.get("k", () -> null);
		assertThat(loaded).isNull();
		assertThat(cache.get("k")).isNotNull().extracting(org.springframework.cache.Cache.ValueWrapper::get).isNull();
		this.ticker.advance(Duration.ofSeconds(30));
		assertThat(cache.get("k")).isNull();
	}

	@Test
	void nullsAreNotCachedWhenDisabled() {
		TieredCache cache = cache(CacheSpec.builder().cacheNulls(false).build("t"));
		Object loaded = cache.get("k", () -> null);
		assertThat(loaded).isNull();
		assertThat(cache.get("k")).isNull();
		cache.put("k", "v");
		cache.put("k", null);
		assertThat(cache.get("k")).as("a null put evicts when nulls are not cached").isNull();
	}

	@Test
	void perCallTtlOverridesTheCacheTtl() {
		TieredCache cache = cache(CacheSpec.builder().ttl(Duration.ofHours(1)).ttlJitter(0).build("t"));
		cache.getOrLoad("k", () -> "v", new LoadOptions(Duration.ofMinutes(2), null, null));
		this.ticker.advance(Duration.ofMinutes(2).minusMillis(1));
		assertThat(cache.get("k")).isNotNull();
		this.ticker.advance(Duration.ofMillis(1));
		assertThat(cache.get("k")).isNull();
	}

	@Test
	void jitterOnlyShortensTheTtlWithinItsFraction() {
		TieredCache cache = cache(CacheSpec.builder().ttl(Duration.ofMinutes(100)).ttlJitter(0.5).build("t"));
		for (int i = 0; i < 200; i++) {
			cache.put(i, i);
		}
		this.ticker.advance(Duration.ofMinutes(50).minusMillis(1));
		assertThat(cache.estimatedL1Size()).as("nothing expires before ttl x (1 - jitter)").isEqualTo(200);
		this.ticker.advance(Duration.ofMinutes(25));
		long alive = java.util.stream.IntStream.range(0, 200).filter((i) -> cache.get(i) != null).count();
		assertThat(alive).as("expiry times are spread, not all at once").isBetween(1L, 199L);
		this.ticker.advance(Duration.ofMinutes(25));
		assertThat(java.util.stream.IntStream.range(0, 200).filter((i) -> cache.get(i) != null).count()).isZero();
	}

	@Test
	void l1IsBoundedByItsMaximumSize() {
		TieredCache cache = cache(CacheSpec.builder().l1MaximumSize(10).build("t"));
		for (int i = 0; i < 100; i++) {
			cache.put(i, i);
		}
		assertThat(cache.estimatedL1Size()).isLessThanOrEqualTo(10);
		assertThat(cache.getStatistics().evictions()).isGreaterThanOrEqualTo(90);
	}

}
