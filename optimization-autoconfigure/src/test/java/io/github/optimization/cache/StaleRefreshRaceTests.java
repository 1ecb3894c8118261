package io.github.optimization.cache;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A background refresh is a flight: a put, eviction, clear or invalidation while it runs
 * wins over the refresh's older value. The refresh runs when the test says so.
 */
class StaleRefreshRaceTests {

	private static final Duration TTL = Duration.ofSeconds(10);

	private final FakeTicker ticker = new FakeTicker();

	private final ManualExecutor background = new ManualExecutor();

	private TieredCache cache() {
		CacheSpec spec = CacheSpec.builder()
			.ttl(TTL)
			.ttlJitter(0)
			.staleWhileRevalidate(Duration.ofMinutes(1))
			.refreshAhead(0.2)
			.build("t");
		return InProcessCaches.cache(spec, this.ticker, this.background);
	}

	private TieredCache staleCacheWithQueuedRefresh() {
		TieredCache cache = cache();
		cache.get("k", () -> "old");
		this.ticker.advance(TTL);
		assertThat(cache.get("k", () -> "refreshed")).isEqualTo("old");
		assertThat(this.background.pending()).isEqualTo(1);
		return cache;
	}

	@Test
	void putDuringARefreshWins() {
		TieredCache cache = staleCacheWithQueuedRefresh();
		cache.put("k", "put");
		this.background.runAll();
		assertThat(cache.get("k").get()).isEqualTo("put");
	}

	@Test
	void evictionDuringARefreshWins() {
		TieredCache cache = staleCacheWithQueuedRefresh();
		cache.evict("k");
		this.background.runAll();
		assertThat(cache.get("k")).isNull();
	}

	@Test
	void clearDuringARefreshWins() {
		TieredCache cache = staleCacheWithQueuedRefresh();
		cache.clear();
		this.background.runAll();
		assertThat(cache.get("k")).isNull();
	}

	@Test
	void refreshAheadRacingAPutKeepsThePut() {
		TieredCache cache = cache();
		cache.get("k", () -> "old");
		this.ticker.advance(TTL.minusSeconds(1));
		assertThat(cache.get("k", () -> "refreshed")).isEqualTo("old");
		cache.put("k", "put");
		this.background.runAll();
		assertThat(cache.get("k").get()).isEqualTo("put");
		this.ticker.advance(Duration.ofSeconds(5));
		assertThat(cache.get("k", () -> "unexpected")).as("the put is fresh for its own TTL").isEqualTo("put");
	}

	@Test
	void aCallerThatMissesWaitsForTheRunningRefresh() throws Exception {
		TieredCache cache = staleCacheWithQueuedRefresh();
		this.ticker.advance(Duration.ofMinutes(1));
		java.util.concurrent.CompletableFuture<Object> late = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> cache.get("k", () -> "own load"));
		org.awaitility.Awaitility.await().until(() -> cache.getStatistics().misses() == 2);
		this.background.runAll();
		assertThat(late.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("joined the refresh, no second load")
			.isEqualTo("refreshed");
	}

}
