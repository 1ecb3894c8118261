package io.github.optimization.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.cache.key.RedisKeyScheme;
import io.github.optimization.test.SettableClock;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cache.Cache.ValueRetrievalException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The stale options with a real Redis: entries live there for their physical life while
 * their envelope keeps the fresh-until time, so an instance with an empty L1 serves a
 * stale value from Redis. Redis time is real; the expiry times in envelopes come from a
 * settable clock.
 */
class StaleTwoLevelTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final Duration TTL = Duration.ofSeconds(10);

	private static final Duration WINDOW = Duration.ofMinutes(1);

	private static final Duration MAX_STALENESS = Duration.ofMinutes(5);

	private final FakeTicker ticker = new FakeTicker();

	private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final ManualExecutor background = new ManualExecutor();

	private final Callable<String> failing = () -> {
		throw new IllegalStateException("provider down");
	};

	@BeforeEach
	void flush() {
		redis.flushAll();
	}

	/** A new instance: its own manager and L1, the shared Redis. */
	private TieredCache instance() {
		CacheSpec spec = CacheSpec.builder()
			.ttl(TTL)
			.ttlJitter(0)
			.staleWhileRevalidate(WINDOW)
			.staleIfError(MAX_STALENESS)
			.build("t");
		return (TieredCache) TwoLevelTieredCacheContractTests.managerBuilder(redis)
			.cache("c", spec)
			.ticker(this.ticker)
			.clock(this.clock)
			.executor(Runnable::run)
			.asyncExecutor(this.background)
			.build()
			.getCache("c");
	}

	private static byte[] redisKey(Object key) {
		return new RedisKeyScheme("opt:", 1).forCache("c").redisKey(key);
	}

	@Test
	void redisKeepsThePhysicalLifeAndTheEnvelopeTheFreshUntilTime() {
		instance().put("k", "v");
		long pttl = redis.adminBytes().pttl(redisKey("k"));
		Duration life = TTL.plus(MAX_STALENESS);
		assertThat(pttl).isBetween(life.minusSeconds(5).toMillis(), life.toMillis());
		byte[] bytes = redis.adminBytes().get(redisKey("k"));
		long freshUntil = TwoLevelTieredCacheContractTests.codec().decode(bytes, null).expiresAtEpochMillis();
		assertThat(freshUntil).isEqualTo(this.clock.millis() + TTL.toMillis());
	}

	@Test
	void staleValueFromRedisIsServedWhileOneRefreshReplacesIt() {
		instance().put("k", "old");
		this.clock.advance(TTL.plusSeconds(5));
		TieredCache reader = instance();
		assertThat(reader.get("k")).as("a plain get reads only fresh values").isNull();
		AtomicInteger calls = new AtomicInteger();
		Callable<String> loader = () -> "new" + calls.incrementAndGet();
		assertThat(reader.get("k", loader)).isEqualTo("old");
		assertThat(reader.get("k", loader)).isEqualTo("old");
		assertThat(this.background.pending()).as("one refresh").isEqualTo(1);
		this.background.runAll();
		assertThat(calls).hasValue(1);
		assertThat(reader.getStatistics().staleServedWhileRevalidating()).isEqualTo(2);
		assertThat(instance().get("k").get()).as("the refresh wrote Redis").isEqualTo("new1");
		long pttl = redis.adminBytes().pttl(redisKey("k"));
		assertThat(pttl).isGreaterThan(TTL.plus(MAX_STALENESS).minusSeconds(5).toMillis());
	}

	@Test
	void loaderFailureIsAnsweredWithTheStaleValueFromRedis() {
		instance().put("k", "old");
		this.clock.advance(TTL.plus(WINDOW));
		TieredCache reader = instance();
		assertThat(reader.get("k", this.failing)).isEqualTo("old");
		assertThat(reader.getStatistics().staleServedOnError()).isEqualTo(1);
		assertThat(this.background.pending()).isZero();
		this.clock.advance(MAX_STALENESS.minus(WINDOW));
		assertThatExceptionOfType(ValueRetrievalException.class).isThrownBy(() -> instance().get("k", this.failing))
			.withCauseInstanceOf(IllegalStateException.class);
	}

	@Test
	void aRefreshThatFindsAFresherValueInRedisDoesNotLoad() {
		TieredCache a = instance();
		TieredCache b = instance();
		a.put("k", "old");
		assertThat(b.get("k").get()).isEqualTo("old");
		this.clock.advance(TTL);
		this.ticker.advance(TTL);
		assertThat(a.get("k", () -> "new")).isEqualTo("old");
		this.background.runAll();
		assertThat(b.get("k", () -> "unexpected")).isEqualTo("old");
		this.background.runAll();
		assertThat(b.get("k", () -> "unexpected")).isEqualTo("new");
		assertThat(b.getStatistics().loadSuccesses()).isZero();
		assertThat(b.getStatistics().refreshes(RefreshTrigger.STALE, true)).isEqualTo(1);
	}

	@Test
	void aPutDuringARefreshWinsInRedisToo() {
		TieredCache cache = instance();
		cache.put("k", "old");
		this.clock.advance(TTL);
		this.ticker.advance(TTL);
		assertThat(cache.get("k", () -> "refreshed")).isEqualTo("old");
		cache.put("k", "put");
		this.background.runAll();
		assertThat(instance().get("k").get()).isEqualTo("put");
		assertThat(cache.get("k").get()).isEqualTo("put");
	}

}
