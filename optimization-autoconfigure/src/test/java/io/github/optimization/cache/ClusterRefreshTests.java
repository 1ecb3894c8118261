package io.github.optimization.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.test.SettableClock;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With cluster single flight, a stale key read on two instances is refreshed once across
 * them: the second instance's refresh waits for the first's value in Redis instead of
 * calling its own loader. Both instances share one fake ticker and clock.
 */
class ClusterRefreshTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final Duration TTL = Duration.ofMinutes(10);

	private final FakeTicker ticker = new FakeTicker();

	private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private TieredCacheManager instance() {
		CacheSpec spec = CacheSpec.builder()
			.ttl(TTL)
			.ttlJitter(0)
			.staleWhileRevalidate(Duration.ofMinutes(5))
			.clusterSingleFlight(true)
			.build("t");
		return TwoLevelTieredCacheContractTests.managerBuilder(redis)
			.ticker(this.ticker)
			.clock(this.clock)
			.cache("c", spec)
			.build();
	}

	@Test
	void aStaleKeyReadOnTwoInstancesIsRefreshedOnce() {
		redis.flushAll();
		TieredCacheManager a = instance();
		TieredCacheManager b = instance();
		try {
			TieredCache cacheA = (TieredCache) a.getCache("c");
			TieredCache cacheB = (TieredCache) b.getCache("c");
			cacheA.getOrLoad("k", () -> "v1", LoadOptions.DEFAULT);
			assertThat(cacheB.getOrLoad("k", () -> "unused", LoadOptions.DEFAULT)).isEqualTo("v1");
			this.ticker.advance(TTL.plusMinutes(1));
			this.clock.advance(TTL.plusMinutes(1));

			AtomicInteger loadsA = new AtomicInteger();
			AtomicInteger loadsB = new AtomicInteger();
			CountDownLatch release = new CountDownLatch(1);
			assertThat(cacheA.getOrLoad("k", () -> {
				loadsA.incrementAndGet();
				release.await(10, TimeUnit.SECONDS);
				return "v2";
			}, LoadOptions.DEFAULT)).as("A: stale at once").isEqualTo("v1");
			await().atMost(Duration.ofSeconds(10)).until(() -> loadsA.get() == 1);
			assertThat(cacheB.getOrLoad("k", () -> {
				loadsB.incrementAndGet();
				return "v2 from B";
			}, LoadOptions.DEFAULT)).as("B: stale at once").isEqualTo("v1");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> cacheB.getStatistics().lockAttempts(TieredCacheStatistics.LockAttempt.BUSY) >= 1);
			release.countDown();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "v2".equals(cacheB.getOrLoad("k", () -> "unused", LoadOptions.DEFAULT)));
			assertThat(loadsB).as("B took A's refresh from Redis").hasValue(0);
			assertThat(loadsA).hasValue(1);
			assertThat(cacheB.getStatistics().refreshes(RefreshTrigger.STALE, true)).isEqualTo(1);
		}
		finally {
			a.close();
			b.close();
		}
	}

}
