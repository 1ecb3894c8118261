package io.github.optimization.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Background refreshes run on the manager's own bounded pool, not on the asynchronous
 * executor: a refresh the pool refuses is dropped and counted, the stale value is still
 * served, and a later read starts it again.
 */
class RefreshExecutorTests {

	private static final Duration TTL = Duration.ofMinutes(10);

	private final FakeTicker ticker = new FakeTicker();

	@Test
	void aRefreshBeyondThePoolAndItsQueueIsDroppedAndTheStaleValueStillServed() throws Exception {
		TieredCacheManager manager = TieredCacheManager.builder()
			.cache("c",
					CacheSpec.builder().ttl(TTL).ttlJitter(0).staleWhileRevalidate(Duration.ofMinutes(5)).build("t"))
			.ticker(this.ticker)
			.executor(Runnable::run)
			.refreshThreads(1)
			.refreshQueueCapacity(1)
			.build();
		try {
			TieredCache cache = (TieredCache) manager.getCache("c");
			for (String key : new String[] { "a", "b", "c" }) {
				cache.getOrLoad(key, () -> key + "1", LoadOptions.DEFAULT);
			}
			this.ticker.advance(TTL.plusMinutes(1));
			CountDownLatch release = new CountDownLatch(1);
			AtomicInteger refreshes = new AtomicInteger();
			for (String key : new String[] { "a", "b", "c" }) {
				Object value = cache.getOrLoad(key, () -> {
					refreshes.incrementAndGet();
					release.await(10, TimeUnit.SECONDS);
					return key + "2";
				}, LoadOptions.DEFAULT);
				assertThat(value).as("stale at once, refreshed or not").isEqualTo(key + "1");
			}
			assertThat(cache.getStatistics().refreshes(RefreshTrigger.STALE, false))
				.as("a runs, b waits in the queue, c is refused")
				.isEqualTo(1);
			release.countDown();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> cache.getStatistics().refreshes(RefreshTrigger.STALE, true) == 2);
			assertThat(cache.getOrLoad("a", () -> "unused", LoadOptions.DEFAULT)).isEqualTo("a2");
			assertThat(cache.getOrLoad("c", () -> "c2", LoadOptions.DEFAULT)).as("still stale, refresh again")
				.isEqualTo("c1");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "c2".equals(cache.getOrLoad("c", () -> "c3", LoadOptions.DEFAULT)));
			assertThat(refreshes.get()).isEqualTo(2);
		}
		finally {
			manager.close();
		}
	}

	@Test
	void callersWaitingForARefreshThatWillNeverRunLoadThemselves() throws Exception {
		TieredCacheManager manager = TieredCacheManager.builder()
			.cache("c",
					CacheSpec.builder().ttl(TTL).ttlJitter(0).staleWhileRevalidate(Duration.ofMinutes(5)).build("t"))
			.ticker(this.ticker)
			.executor(Runnable::run)
			.refreshThreads(1)
			.refreshQueueCapacity(1)
			.build();
		TieredCache cache = (TieredCache) manager.getCache("c");
		cache.getOrLoad("a", () -> "a1", LoadOptions.DEFAULT);
		cache.getOrLoad("b", () -> "b1", LoadOptions.DEFAULT);
		this.ticker.advance(TTL.plusMinutes(1));
		CountDownLatch never = new CountDownLatch(1);
		cache.getOrLoad("a", () -> never.await(10, TimeUnit.SECONDS), LoadOptions.DEFAULT);
		cache.getOrLoad("b", () -> "b2", LoadOptions.DEFAULT);
		// a's refresh holds the only thread; b's waits in the queue. Past the window,
		// callers of
		// b wait for that queued refresh.
		this.ticker.advance(Duration.ofMinutes(5));
		long missesBefore = cache.getStatistics().misses();
		long start = System.nanoTime();
		CompletableFuture<Object> joined = CompletableFuture
			.supplyAsync(() -> cache.getOrLoad("b", () -> "b3", LoadOptions.DEFAULT));
		await().atMost(Duration.ofSeconds(10)).until(() -> cache.getStatistics().misses() > missesBefore);
		assertThat(joined).as("waiting for the queued refresh").isNotDone();
		manager.close();
		assertThat(joined.get(5, TimeUnit.SECONDS)).as("the queued refresh was dropped: the caller loaded")
			.isEqualTo("b3");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for a refresh that will never run")
			.isLessThan(CacheSpec.DEFAULT_LOAD_WAIT_TIMEOUT);
		never.countDown();
	}

}
