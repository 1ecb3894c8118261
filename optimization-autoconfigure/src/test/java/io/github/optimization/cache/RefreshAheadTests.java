package io.github.optimization.cache;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh-ahead: a read of a fresh entry in the last {@code refreshAhead × TTL} of its
 * life returns it and starts one background refresh, so a hot key never expires
 * (RELIABILITY F17).
 */
class RefreshAheadTests {

	private final FakeTicker ticker = new FakeTicker();

	private TieredCache cache(Duration ttl, double jitter, Executor asyncExecutor) {
		CacheSpec spec = CacheSpec.builder().ttl(ttl).ttlJitter(jitter).refreshAhead(0.2).build("t");
		return InProcessCaches.cache(spec, this.ticker, asyncExecutor);
	}

	@Test
	void aReadInTheLastPartOfTheTtlStartsOneRefresh() {
		ManualExecutor background = new ManualExecutor();
		TieredCache cache = cache(Duration.ofSeconds(10), 0, background);
		AtomicInteger version = new AtomicInteger();
		cache.get("k", () -> "v" + version.incrementAndGet());
		this.ticker.advance(Duration.ofSeconds(8).minusMillis(1));
		assertThat(cache.get("k", () -> "v" + version.incrementAndGet())).isEqualTo("v1");
		assertThat(background.pending()).as("not yet in the refresh-ahead part").isZero();
		this.ticker.advance(Duration.ofMillis(1));
		assertThat(cache.getFromL1("k")).as("left to getOrLoad, which can refresh").isNull();
		assertThat(cache.get("k").get()).as("still fresh for a plain get").isEqualTo("v1");
		assertThat(cache.get("k", () -> "v" + version.incrementAndGet())).isEqualTo("v1");
		assertThat(cache.get("k", () -> "v" + version.incrementAndGet())).isEqualTo("v1");
		assertThat(background.pending()).isEqualTo(1);
		background.runAll();
		assertThat(version).hasValue(2);
		assertThat(cache.getStatistics().refreshes(RefreshTrigger.AHEAD, true)).isEqualTo(1);
		this.ticker.advance(Duration.ofSeconds(7));
		assertThat(cache.get("k", () -> "v" + version.incrementAndGet())).as("fresh for a new TTL").isEqualTo("v2");
		assertThat(background.pending()).isZero();
	}

	@Test
	void hotKeyIsLoadedAboutOncePerTtlWindowAndNeverMisses() throws Exception {
		Duration ttl = Duration.ofSeconds(2);
		Duration step = Duration.ofMillis(10);
		Duration run = Duration.ofSeconds(60);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		TrackingExecutor background = new TrackingExecutor(pool);
		ExecutorService readers = Executors.newFixedThreadPool(4);
		try {
			TieredCache cache = cache(ttl, 0.05, background);
			AtomicInteger calls = new AtomicInteger();
			AtomicInteger active = new AtomicInteger();
			AtomicInteger maxActive = new AtomicInteger();
			java.util.concurrent.Callable<Integer> loader = () -> {
				int now = active.incrementAndGet();
				maxActive.accumulateAndGet(now, Math::max);
				try {
					Thread.onSpinWait();
					return calls.incrementAndGet();
				}
				finally {
					active.decrementAndGet();
				}
			};
			cache.get("hot", loader);
			long missesAfterWarmUp = cache.getStatistics().misses();
			long steps = run.toMillis() / step.toMillis();
			for (long i = 0; i < steps; i++) {
				this.ticker.advance(step);
				// 4 threads x 5 reads per 10 ms of fake time: 2 000 reads per second.
				java.util.List<java.util.concurrent.Future<?>> reads = new java.util.ArrayList<>();
				for (int t = 0; t < 4; t++) {
					reads.add(readers.submit(() -> {
						for (int r = 0; r < 5; r++) {
							assertThat(cache.get("hot", loader)).isNotNull();
						}
					}));
				}
				for (java.util.concurrent.Future<?> read : reads) {
					read.get();
				}
				// Background work takes no fake time: let a started refresh finish before
				// time moves on.
				background.awaitIdle();
			}
			long windows = run.toMillis() / ttl.toMillis();
			assertThat(cache.getStatistics().misses()).as("no miss after warm-up").isEqualTo(missesAfterWarmUp);
			assertThat(calls.get() - 1).as("loads after warm-up").isBetween((int) windows, (int) (windows * 1.5));
			assertThat(maxActive).as("never more than one load at a time").hasValue(1);
			assertThat(cache.getStatistics().refreshes(RefreshTrigger.AHEAD, true)).isEqualTo(calls.get() - 1);
		}
		finally {
			readers.shutdownNow();
			pool.shutdownNow();
		}
	}

	/** Runs tasks on a pool and can wait until none is queued or running. */
	static final class TrackingExecutor implements Executor {

		private final Executor delegate;

		private final AtomicInteger pending = new AtomicInteger();

		TrackingExecutor(Executor delegate) {
			this.delegate = delegate;
		}

		@Override
		public void execute(Runnable task) {
			this.pending.incrementAndGet();
			this.delegate.execute(() -> {
				try {
					task.run();
				}
				finally {
					this.pending.decrementAndGet();
				}
			});
		}

		void awaitIdle() {
			if (this.pending.get() > 0) {
				org.awaitility.Awaitility.await()
					.pollInterval(Duration.ofMillis(1))
					.atMost(Duration.ofSeconds(10))
					.until(() -> this.pending.get() == 0);
			}
		}

	}

}
