package io.github.optimization.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stale-while-revalidate in the in-process level: a stale entry within its window is
 * returned at once and one background load replaces it. Time is a fake ticker.
 */
class StaleWhileRevalidateTests {

	private static final Duration TTL = Duration.ofSeconds(10);

	private static final Duration WINDOW = Duration.ofMinutes(1);

	private final FakeTicker ticker = new FakeTicker();

	private final ExecutorService pool = Executors.newFixedThreadPool(2);

	@AfterEach
	void shutdown() {
		this.pool.shutdownNow();
	}

	private TieredCache cache(java.util.concurrent.Executor asyncExecutor) {
		CacheSpec spec = CacheSpec.builder().ttl(TTL).ttlJitter(0).staleWhileRevalidate(WINDOW).build("t");
		return InProcessCaches.cache(spec, this.ticker, asyncExecutor);
	}

	@Test
	void staleValueIsServedAtOnceByOneRefreshForManyCallers() throws Exception {
		TieredCache cache = cache(this.pool);
		cache.get("k", () -> "old");
		this.ticker.advance(TTL);
		CountDownLatch inLoader = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger calls = new AtomicInteger();
		Callable<String> slow = () -> {
			calls.incrementAndGet();
			inLoader.countDown();
			release.await(10, TimeUnit.SECONDS);
			return "new";
		};
		ExecutorService callers = Executors.newFixedThreadPool(8);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Object>> results = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				results.add(callers.submit(() -> {
					start.await();
					return cache.get("k", slow);
				}));
			}
			start.countDown();
			for (Future<Object> result : results) {
				assertThat(result.get(10, TimeUnit.SECONDS)).as("returned while the refresh is blocked")
					.isEqualTo("old");
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(inLoader.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(calls).as("one refresh for 50 callers").hasValue(1);
		assertThat(cache.getStatistics().staleServedWhileRevalidating()).isEqualTo(50);
		release.countDown();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> cache.getStatistics().refreshes(RefreshTrigger.STALE, true) == 1);
		assertThat(cache.get("k", () -> "unexpected")).isEqualTo("new");
		assertThat(calls).hasValue(1);
		assertThat(cache.getStatistics().refreshes(RefreshTrigger.STALE, false)).isZero();
	}

	@Test
	void refreshedValueIsFreshForAFullTtl() {
		ManualExecutor background = new ManualExecutor();
		TieredCache cache = cache(background);
		cache.get("k", () -> "old");
		this.ticker.advance(TTL.plusSeconds(5));
		assertThat(cache.get("k", () -> "new")).isEqualTo("old");
		assertThat(background.pending()).isEqualTo(1);
		background.runAll();
		this.ticker.advance(TTL.minusMillis(1));
		assertThat(cache.get("k", () -> "newer")).isEqualTo("new");
		assertThat(background.pending()).as("no refresh while fresh").isZero();
	}

	@Test
	void beyondTheWindowTheCallerLoadsItself() {
		ManualExecutor background = new ManualExecutor();
		TieredCache cache = cache(background);
		cache.get("k", () -> "old");
		this.ticker.advance(TTL.plus(WINDOW));
		assertThat(cache.get("k", () -> "new")).isEqualTo("new");
		assertThat(background.pending()).isZero();
		assertThat(cache.getStatistics().staleServedWhileRevalidating()).isZero();
		assertThat(cache.getStatistics().misses()).isEqualTo(2);
	}

	@Test
	void plainGetReturnsOnlyFreshEntries() {
		ManualExecutor background = new ManualExecutor();
		TieredCache cache = cache(background);
		cache.put("k", "old");
		this.ticker.advance(TTL.minusMillis(1));
		assertThat(cache.get("k")).isNotNull();
		this.ticker.advance(Duration.ofMillis(1));
		assertThat(cache.get("k")).as("stale: the caller's own load replaces it").isNull();
		assertThat(cache.get("k", String.class)).isNull();
		assertThat(cache.getFromL1("k")).isNull();
		assertThat(background.pending()).isZero();
	}

	@Test
	void failedRefreshIsCountedAndTheStaleValueStaysForItsWindow() {
		ManualExecutor background = new ManualExecutor();
		TieredCache cache = cache(background);
		cache.get("k", () -> "old");
		this.ticker.advance(TTL);
		Callable<String> failing = () -> {
			throw new IllegalStateException("backend down");
		};
		assertThat(cache.get("k", failing)).isEqualTo("old");
		background.runAll();
		assertThat(cache.getStatistics().refreshes(RefreshTrigger.STALE, false)).isEqualTo(1);
		assertThat(cache.getStatistics().loadFailures()).isEqualTo(1);
		this.ticker.advance(WINDOW.minusMillis(1));
		assertThat(cache.get("k", failing)).as("still within the window").isEqualTo("old");
		background.runAll();
		assertThat(cache.getStatistics().refreshes(RefreshTrigger.STALE, false)).isEqualTo(2);
		this.ticker.advance(Duration.ofMillis(1));
		assertThat(cache.get("k", () -> "new")).isEqualTo("new");
	}

	@Test
	void asyncRetrieveServesStaleAndRefreshesInTheBackground() throws Exception {
		ManualExecutor background = new ManualExecutor();
		TieredCache cache = cache(background);
		cache.put("k", "old");
		this.ticker.advance(TTL);
		AtomicInteger calls = new AtomicInteger();
		CompletableFuture<String> first = cache.retrieve("k", () -> {
			calls.incrementAndGet();
			return CompletableFuture.completedFuture("new");
		});
		CompletableFuture<String> second = cache.retrieve("k",
				() -> CompletableFuture.failedFuture(new AssertionError("a second refresh")));
		assertThat(first.get(1, TimeUnit.SECONDS)).isEqualTo("old");
		assertThat(second.get(1, TimeUnit.SECONDS)).isEqualTo("old");
		background.runAll();
		assertThat(calls).hasValue(1);
		assertThat(cache.get("k").get()).isEqualTo("new");
		assertThat(cache.getStatistics().refreshes(RefreshTrigger.STALE, true)).isEqualTo(1);
	}

}
