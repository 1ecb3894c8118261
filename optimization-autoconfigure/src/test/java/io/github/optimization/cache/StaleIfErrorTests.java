package io.github.optimization.cache;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.cache.Cache.ValueRetrievalException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Serve-stale-on-error in the in-process level: when the loader of an expired key throws,
 * a value stale by less than the stale-if-error window is returned instead, and counted.
 */
class StaleIfErrorTests {

	private static final Duration TTL = Duration.ofSeconds(10);

	private static final Duration MAX_STALENESS = Duration.ofMinutes(5);

	private final FakeTicker ticker = new FakeTicker();

	private final ManualExecutor background = new ManualExecutor();

	private final Callable<String> failing = () -> {
		throw new IllegalStateException("provider down");
	};

	private TieredCache cache() {
		CacheSpec spec = CacheSpec.builder().ttl(TTL).ttlJitter(0).staleIfError(MAX_STALENESS).build("t");
		return InProcessCaches.cache(spec, this.ticker, this.background);
	}

	@Test
	void expiredKeyIsLoadedAndAFailureIsAnsweredWithTheStaleValue() {
		TieredCache cache = cache();
		cache.get("k", () -> "old");
		this.ticker.advance(TTL);
		assertThat(cache.get("k", failing)).isEqualTo("old");
		assertThat(cache.getStatistics().staleServedOnError()).isEqualTo(1);
		assertThat(cache.getStatistics().loadFailures()).isEqualTo(1);
		assertThat(this.background.pending()).as("no background refresh without stale-while-revalidate").isZero();
		assertThat(cache.get("k", () -> "new")).as("a loader that works replaces it").isEqualTo("new");
	}

	@Test
	void beyondTheMaximumStalenessTheFailurePropagates() {
		TieredCache cache = cache();
		cache.get("k", () -> "old");
		this.ticker.advance(TTL.plus(MAX_STALENESS).minusMillis(1));
		assertThat(cache.get("k", failing)).isEqualTo("old");
		this.ticker.advance(Duration.ofMillis(1));
		assertThatExceptionOfType(ValueRetrievalException.class).isThrownBy(() -> cache.get("k", failing))
			.withCauseInstanceOf(IllegalStateException.class);
		assertThat(cache.getStatistics().staleServedOnError()).isEqualTo(1);
	}

	@Test
	void withoutAStaleValueTheFailurePropagates() {
		TieredCache cache = cache();
		assertThatExceptionOfType(ValueRetrievalException.class).isThrownBy(() -> cache.get("k", failing));
		assertThat(cache.getStatistics().staleServedOnError()).isZero();
	}

	@Test
	void freshEntriesAreNotReloaded() {
		TieredCache cache = cache();
		cache.get("k", () -> "old");
		this.ticker.advance(TTL.minusMillis(1));
		assertThat(cache.get("k", failing)).isEqualTo("old");
		assertThat(cache.getStatistics().loadFailures()).isZero();
	}

	@Test
	void waitersOnTheFailedFlightGetTheSameStaleValue() throws Exception {
		TieredCache cache = cache();
		cache.get("k", () -> "old");
		this.ticker.advance(TTL);
		CountDownLatch inLoader = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Object> leader = CompletableFuture.supplyAsync(() -> cache.get("k", () -> {
			inLoader.countDown();
			release.await(10, TimeUnit.SECONDS);
			throw new IllegalStateException("provider down");
		}));
		assertThat(inLoader.await(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Object> waiter = CompletableFuture.supplyAsync(() -> cache.get("k", () -> "unexpected"));
		org.awaitility.Awaitility.await().until(() -> cache.getStatistics().misses() == 3);
		release.countDown();
		assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("old");
		assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("old");
	}

	@Test
	void asyncRetrieveAnswersAFailureWithTheStaleValue() throws Exception {
		TieredCache cache = cache();
		cache.put("k", "old");
		this.ticker.advance(TTL);
		CompletableFuture<String> result = cache.retrieve("k",
				() -> CompletableFuture.failedFuture(new IllegalStateException("provider down")));
		this.background.runAll();
		assertThat(result.get(1, TimeUnit.SECONDS)).isEqualTo("old");
		assertThat(cache.getStatistics().staleServedOnError()).isEqualTo(1);
		this.ticker.advance(MAX_STALENESS);
		CompletableFuture<String> failed = cache.retrieve("k",
				() -> CompletableFuture.failedFuture(new IllegalStateException("provider down")));
		this.background.runAll();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failed.get(1, TimeUnit.SECONDS))
			.withRootCauseInstanceOf(IllegalStateException.class);
	}

}
