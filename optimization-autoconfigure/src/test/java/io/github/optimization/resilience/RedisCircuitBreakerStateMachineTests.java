package io.github.optimization.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.autoconfigure.cache.TieredCacheAnnotationAutoConfiguration;
import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.cache.TieredCacheStatistics;
import io.github.optimization.cache.codec.CacheValueCodec;
import io.github.optimization.cache.codec.CodecSettings;
import io.github.optimization.cache.codec.TypeAllowList;
import io.github.optimization.cache.L2Store;
import io.github.optimization.test.BootAutoConfigurations;
import io.github.optimization.test.SettableClock;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * F19: the state machine of the breaker in front of Redis, with the starter's defaults
 * (count window 20, N_min 10, failure and slow-call rate 50 %, slow = 0.8 x T_cmd, W_open
 * 5 s, K_half 3, automatic transition, W_half_max 2 s), driven through the cache's guard
 * on an injected clock; and the two transitions resilience4j schedules in real time.
 */
@Tag("fault")
class RedisCircuitBreakerStateMachineTests {

	/** The defaults of the starter with the default 50 ms command timeout. */
	static final RedisCircuitBreakerDefaults.Settings DEFAULTS = new RedisCircuitBreakerDefaults.Settings(20, 10, 50,
			50, Duration.ofMillis(40), Duration.ofSeconds(5), 3, Duration.ofSeconds(2));

	static final RuntimeException REFUSED = new RedisConnectionFailureException("Unable to connect to Redis");

	private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final CircuitBreaker breaker = CircuitBreaker.of("redis",
			RedisCircuitBreakerDefaults.config(DEFAULTS, this.clock));

	private final CircuitBreakerL2Guard guard = new CircuitBreakerL2Guard(this.breaker);

	@Test
	void theAutoConfiguredBreakerHasTheDocumentedDefaults() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.REDIS, TieredCacheAutoConfiguration.class,
					TieredCacheAnnotationAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=1")
			.run((context) -> {
				CircuitBreaker breaker = ((CircuitBreakerL2Guard) context.getBean(TieredCacheManager.class).getGuard())
					.getCircuitBreaker();
				CircuitBreakerConfig config = breaker.getCircuitBreakerConfig();
				assertThat(config.getSlidingWindowType()).isEqualTo(SlidingWindowType.COUNT_BASED);
				assertThat(config.getSlidingWindowSize()).isEqualTo(20);
				assertThat(config.getMinimumNumberOfCalls()).isEqualTo(10);
				assertThat(config.getFailureRateThreshold()).isEqualTo(50);
				assertThat(config.getSlowCallRateThreshold()).isEqualTo(50);
				assertThat(config.getSlowCallDurationThreshold()).as("0.8 x the 50 ms command timeout")
					.isEqualTo(Duration.ofMillis(40));
				assertThat(config.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(5_000);
				assertThat(config.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
				assertThat(config.isAutomaticTransitionFromOpenToHalfOpenEnabled()).isTrue();
				assertThat(config.getMaxWaitDurationInHalfOpenState()).isEqualTo(Duration.ZERO);
				assertThat(breaker.getState()).isEqualTo(State.CLOSED);
			});
	}

	@Test
	void doesNotOpenBeforeTheMinimumNumberOfCalls() {
		fail(9);
		assertThat(this.breaker.getState()).isEqualTo(State.CLOSED);
		assertThat(this.guard.tryAcquire()).isTrue();
		this.guard.onError(millis(1), REFUSED);
		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
	}

	@Test
	void opensWhenTheFailureRateReachesTheThreshold() {
		succeed(10, millis(1));
		fail(9);
		assertThat(this.breaker.getMetrics().getFailureRate()).isLessThan(50);
		assertThat(this.breaker.getState()).isEqualTo(State.CLOSED);
		fail(1);
		assertThat(this.breaker.getMetrics().getFailureRate()).isEqualTo(50);
		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
	}

	@Test
	void opensOnSlowCallsAloneWithoutAnyFailure() {
		succeed(10, millis(30));
		assertThat(this.breaker.getState()).as("30 ms is not slow").isEqualTo(State.CLOSED);
		succeed(10, millis(45));
		assertThat(this.breaker.getMetrics().getNumberOfFailedCalls()).isZero();
		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
	}

	@Test
	void serverAndCodecErrorsDoNotCount() {
		RuntimeException wrongType = new RedisSystemException("WRONGTYPE", new RedisCommandExecutionException(
				"WRONGTYPE Operation against a key holding the wrong kind of value"));
		for (int i = 0; i < 50; i++) {
			assertThat(this.guard.tryAcquire()).isTrue();
			this.guard.onError(millis(1), wrongType);
		}
		assertThat(this.breaker.getState()).isEqualTo(State.CLOSED);
		assertThat(this.breaker.getMetrics().getNumberOfFailedCalls()).isZero();
		assertThat(this.breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
	}

	@Test
	void timeoutsCount() {
		for (int i = 0; i < 10; i++) {
			assertThat(this.guard.tryAcquire()).isTrue();
			this.guard.onError(millis(50), new QueryTimeoutException("Redis command timed out"));
		}
		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
	}

	@Test
	void halfOpensAfterTheWaitAndAdmitsExactlyThePermittedProbes() {
		fail(10);
		this.clock.advance(Duration.ofSeconds(5).minusMillis(1));
		assertThat(this.guard.tryAcquire()).isFalse();
		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
		this.clock.advance(Duration.ofMillis(2));
		assertThat(this.guard.tryAcquire()).isTrue();
		assertThat(this.breaker.getState()).isEqualTo(State.HALF_OPEN);
		assertThat(this.guard.tryAcquire()).isTrue();
		assertThat(this.guard.tryAcquire()).isTrue();
		assertThat(this.guard.tryAcquire()).as("a fourth probe").isFalse();
		this.guard.onSuccess(millis(1));
		this.guard.onSuccess(millis(1));
		assertThat(this.breaker.getState()).isEqualTo(State.HALF_OPEN);
		this.guard.onSuccess(millis(1));
		assertThat(this.breaker.getState()).isEqualTo(State.CLOSED);
	}

	@Test
	void failedProbesOpenItAgain() {
		fail(10);
		this.clock.advance(Duration.ofSeconds(5).plusMillis(1));
		for (int i = 0; i < 3; i++) {
			assertThat(this.guard.tryAcquire()).isTrue();
		}
		this.guard.onSuccess(millis(1));
		this.guard.onError(millis(50), new QueryTimeoutException("timed out"));
		this.guard.onError(millis(50), new QueryTimeoutException("timed out"));
		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
		assertThat(this.guard.tryAcquire()).isFalse();
	}

	@Test
	void anOpenBreakerNeverReachesTheCallerAsAnException() {
		fail(10);
		assertThatExceptionOfType(CallNotPermittedException.class).as("what resilience4j's decorators would throw")
			.isThrownBy(this.breaker::acquirePermission);
		AtomicInteger storeCalls = new AtomicInteger();
		TieredCacheManager manager = TieredCacheManager.builder()
			.l2Store(countingStore(storeCalls))
			.guard(this.guard)
			.codec(new CacheValueCodec(CacheValueCodec.defaultObjectMapper(), CodecSettings.defaults(),
					new TypeAllowList(java.util.List.of("io.github.optimization"))))
			.executor(Runnable::run)
			.build();
		TieredCache cache = (TieredCache) manager.getCache("c");
		TieredCacheStatistics stats = cache.getStatistics();

		assertThat(cache.get("k", () -> "loaded")).isEqualTo("loaded");
		assertThat(cache.get("k", () -> "again")).as("served from L1").isEqualTo("loaded");
		assertThat(cache.get("absent")).isNull();
		cache.put("p", "v");
		assertThat(cache.get("p", String.class)).isEqualTo("v");
		assertThat(cache.retrieve("q", () -> java.util.concurrent.CompletableFuture.completedFuture("async")))
			.succeedsWithin(Duration.ofSeconds(5))
			.isEqualTo("async");
		cache.evict("p");
		cache.clear();

		assertThat(storeCalls).as("Redis not called while open").hasValue(0);
		assertThat(stats.l2Rejected()).isPositive();
		assertThat(stats.l2Requests()).isZero();
		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
	}

	private void fail(int calls) {
		for (int i = 0; i < calls; i++) {
			assertThat(this.guard.tryAcquire()).isTrue();
			this.guard.onError(millis(1), REFUSED);
		}
	}

	private void succeed(int calls, long nanos) {
		for (int i = 0; i < calls; i++) {
			assertThat(this.guard.tryAcquire()).isTrue();
			this.guard.onSuccess(nanos);
		}
	}

	private static long millis(long millis) {
		return TimeUnit.MILLISECONDS.toNanos(millis);
	}

	private static L2Store countingStore(AtomicInteger calls) {
		return (L2Store) java.lang.reflect.Proxy.newProxyInstance(L2Store.class.getClassLoader(),
				new Class<?>[] { L2Store.class }, (proxy, method, args) -> {
					if (method.getDeclaringClass() == Object.class) {
						return method.invoke(calls, args);
					}
					calls.incrementAndGet();
					throw new AssertionError("Redis called while the breaker is open: " + method.getName());
				});
	}

	/**
	 * The two transitions resilience4j schedules on its own timer rather than on the
	 * breaker's clock, so they are checked in real time (short waits), once each.
	 */
	@Nested
	class InRealTime {

		private final CircuitBreaker breaker = CircuitBreaker
			.of("redis-real-time",
					RedisCircuitBreakerDefaults.config(new RedisCircuitBreakerDefaults.Settings(20, 10, 50, 50,
							Duration.ofMillis(40), Duration.ofMillis(300), 3, Duration.ofMillis(300)),
							Clock.systemUTC()));

		private final CircuitBreakerL2Guard guard = new CircuitBreakerL2Guard(this.breaker);

		@Test
		void halfOpensWithoutAnyTrafficAfterTheWait() {
			open();
			await().atMost(Duration.ofMillis(300).plusSeconds(2))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> this.breaker.getState() == State.HALF_OPEN);
		}

		@Test
		void leavesHalfOpenWhenProbesNeverComplete() {
			open();
			await().atMost(Duration.ofMillis(300).plusSeconds(2))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> this.breaker.getState() == State.HALF_OPEN);
			for (int i = 0; i < 3; i++) {
				assertThat(this.guard.tryAcquire()).isTrue();
			}
			assertThat(this.guard.tryAcquire()).isFalse();
			// The probes hang: no outcome is ever reported.
			await().atMost(Duration.ofMillis(300).plusSeconds(2))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> this.breaker.getState() == State.OPEN);
		}

		private void open() {
			for (int i = 0; i < 10; i++) {
				assertThat(this.guard.tryAcquire()).isTrue();
				this.guard.onError(millis(1), REFUSED);
			}
			assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
		}

	}

}
