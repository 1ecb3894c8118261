package io.github.optimization.cache.fault;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheStatistics;
import io.github.optimization.cache.fault.FaultFixture.Database;
import io.github.optimization.cache.redis.InvalidationBusState;
import io.github.optimization.resilience.CircuitBreakerL2Guard;
import io.github.optimization.test.redis.RedisServerExtension;
import io.github.optimization.test.redis.TcpProxy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static io.github.optimization.cache.fault.FaultCalls.HOT;
import static io.github.optimization.cache.fault.FaultCalls.hits;
import static io.github.optimization.cache.fault.FaultCalls.hot;
import static io.github.optimization.cache.fault.FaultCalls.misses;
import static io.github.optimization.cache.fault.FaultFixture.K_HALF;
import static io.github.optimization.cache.fault.FaultFixture.N_MIN;
import static io.github.optimization.cache.fault.FaultFixture.SLACK;
import static io.github.optimization.cache.fault.FaultFixture.W_OPEN;
import static io.github.optimization.cache.fault.FaultFixture.breaker;
import static io.github.optimization.cache.fault.FaultFixture.cache;
import static io.github.optimization.cache.fault.FaultFixture.plant;
import static io.github.optimization.cache.fault.FaultFixture.report;
import static io.github.optimization.cache.fault.Latencies.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * F6: Redis answers, but slowly. The cache's connection (data and subscription) goes
 * through a {@link TcpProxy} that adds a fixed delay to every response; the harness's
 * admin connection does not. The breaker's slow-call threshold is 80 % of the command
 * timeout.
 * <ul>
 * <li>50 ms, with a timeout of 500 ms (threshold 400 ms): well below the threshold.
 * Nothing opens, values still come from Redis, and a call costs about the added
 * delay.</li>
 * <li>170 ms, with a timeout of 200 ms (threshold 160 ms): slow but within the timeout.
 * The calls succeed, and the breaker opens on the slow-call rate alone; then calls cost
 * what they cost without Redis.</li>
 * <li>400 ms, with a timeout of 200 ms: beyond the timeout. Each call waits for the
 * timeout, and the breaker opens on the timeouts; then calls cost what they cost without
 * Redis.</li>
 * </ul>
 * Under the steady 170 and 400 ms delays the breaker cycles open, half-open, open, never
 * closing and never opening twice within {@code wait-duration-in-open-state}.
 */
@Tag("fault")
class RedisSlowFaultTests {

	private static final String CACHE = "items";

	/** T_cmd in this test. */
	private static final Duration T_CMD = Duration.ofMillis(200);

	/** T_slow: 80 % of T_cmd, the starter's default. */
	private static final Duration T_SLOW = Duration.ofMillis(160);

	/**
	 * T_cmd where the delay must stay below T_slow: on a busy 2-core box a 50 ms delay
	 * was seen to reach 190 ms for some calls, so the margin is larger there.
	 */
	private static final Duration T_CMD_WIDE = Duration.ofMillis(500);

	/** T_slow for {@link #T_CMD_WIDE}. */
	private static final Duration T_SLOW_WIDE = Duration.ofMillis(400);

	/**
	 * Concurrent callers while Redis is slow, so a thousand calls take seconds, not
	 * minutes.
	 */
	private static final int CALLERS = 16;

	private static final int L2_CALLS = 1024;

	/** The starter's default failure and slow-call rate thresholds, in percent. */
	private static final float THRESHOLD = 50;

	/** How long the breaker is watched under a steady delay. */
	private static final Duration STEADY = W_OPEN.multipliedBy(3);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private TcpProxy proxy;

	@BeforeEach
	void startProxy() throws IOException {
		redis.flushAll();
		this.proxy = new TcpProxy(redis.host(), redis.port());
	}

	@AfterEach
	void stopProxy() {
		this.proxy.close();
	}

	/**
	 * The starter pointed at the proxy. The subscription watchdog ticks rarely: its PINGs
	 * and reads of {@code run_id} would be extra Redis calls in the counts below.
	 */
	private ApplicationContextRunner runner(Duration commandTimeout) {
		return FaultFixture.runner(this.proxy.port())
			.withPropertyValues("optimization.cache.redis.command-timeout=" + commandTimeout.toMillis() + "ms",
					"optimization.cache.invalidation.ping-interval=30s");
	}

	@Test
	void aDelayBelowTheSlowCallThresholdKeepsTheBreakerClosedAndRedisInUse() {
		Duration delay = Duration.ofMillis(50);
		runner(T_CMD_WIDE).run((context) -> {
			TieredCache cache = cache(context, CACHE);
			TieredCacheStatistics stats = cache.getStatistics();
			CircuitBreaker breaker = breaker(context);
			Database db = new Database();
			await().atMost(Duration.ofSeconds(10)).until(context.getBean(InvalidationBusState.class)::isSubscribed);
			assertThat(breaker.getCircuitBreakerConfig().getSlowCallDurationThreshold()).isEqualTo(T_SLOW_WIDE);
			for (String prefix : List.of("warm-", "healthy-", "slow-")) {
				plantAll(context, prefix, L2_CALLS);
			}
			l2Reads(cache, db, "warm-", "warm-up");
			L2Reads healthy = l2Reads(cache, db, "healthy-", "L2 hits, no delay");
			assertThat(healthy.fromRedis).isEqualTo(L2_CALLS);

			this.proxy.delay(delay);
			long l2Hits = stats.l2Hits();
			long timeouts = stats.l2Timeouts();
			long rejected = stats.l2Rejected();
			L2Reads slow = l2Reads(cache, db, "slow-", "L2 hits, +" + delay.toMillis() + "ms");
			CircuitBreaker.Metrics metrics = breaker.getMetrics();
			report(healthy.latencies.summary() + "; " + slow.latencies.summary() + " min="
					+ Latencies.format(slow.latencies.min()) + "; " + slow.fromRedis + " of " + L2_CALLS
					+ " answered by Redis, " + (stats.l2Timeouts() - timeouts) + " timed out; breaker "
					+ breaker.getState() + ", " + metrics.getNumberOfSlowCalls() + " slow and "
					+ metrics.getNumberOfFailedCalls() + " failed of the last " + metrics.getNumberOfBufferedCalls());

			// Redis is still used, and the breaker has no reason to open. (On a box so
			// busy that a
			// call stalls past the timeout, that call is answered by the loader: allow 1
			// %.)
			assertThat(breaker.getState()).isEqualTo(State.CLOSED);
			assertThat(stats.l2Rejected()).as("calls the breaker refused").isEqualTo(rejected);
			assertThat(slow.fromRedis).as("values from Redis").isGreaterThanOrEqualTo(L2_CALLS * 99 / 100);
			assertThat(stats.l2Hits() - l2Hits).isEqualTo(slow.fromRedis);
			assertThat(stats.l2Timeouts() - timeouts).as("timeouts").isEqualTo(L2_CALLS - slow.fromRedis);
			// Each call paid the delay, about the delay on top of the healthy latency,
			// and at
			// least 99 % stayed below the slow-call threshold.
			assertThat(slow.latencies.min()).as("fastest call").isGreaterThanOrEqualTo(delay.toNanos());
			assertThat(slow.latencies.p50()).as("p50")
				.isLessThanOrEqualTo(delay.toNanos() + healthy.latencies.p50() + millis(10));
			assertThat(slow.latencies.p99()).as("p99").isLessThan(T_SLOW_WIDE.toNanos());
		});
	}

	@Test
	void aDelayBetweenTheSlowCallThresholdAndTheTimeoutOpensTheBreakerOnSlowCallsAlone() {
		Duration delay = Duration.ofMillis(170);
		runner(T_CMD).run((context) -> {
			Opening opening = slowRedisOpensTheBreaker(context, delay);
			// The calls before the breaker opened were answered by Redis, slowly but in
			// time (a
			// stall of a busy box may push one past the timeout), and it was the
			// slow-call rate
			// that opened it: the failure rate was below its threshold.
			assertThat(opening.calls.min()).isGreaterThanOrEqualTo(delay.toNanos());
			assertThat(opening.valuesFromRedis + opening.timeouts).isEqualTo(opening.attempts);
			assertThat(opening.valuesFromRedis).as("answered by Redis").isGreaterThan(opening.timeouts);
			assertThat(opening.slowCalls).as("slow calls in the window").isGreaterThanOrEqualTo(opening.attempts);
			assertThat(opening.slowCallRate).isGreaterThanOrEqualTo(THRESHOLD);
			assertThat(opening.failureRate).isLessThan(THRESHOLD);
		});
	}

	@Test
	void aDelayBeyondTheTimeoutOpensTheBreakerOnTimeouts() {
		Duration delay = Duration.ofMillis(400);
		runner(T_CMD).run((context) -> {
			Opening opening = slowRedisOpensTheBreaker(context, delay);
			// Every call before the breaker opened waited for the timeout, no longer, and
			// was
			// answered by the loader.
			assertThat(opening.calls.min()).isGreaterThanOrEqualTo(T_CMD.toNanos());
			assertThat(opening.calls.max()).isLessThanOrEqualTo(T_CMD.plus(SLACK).toNanos());
			assertThat(opening.timeouts).isEqualTo(opening.attempts);
			assertThat(opening.valuesFromRedis).isZero();
			assertThat(opening.failedCalls).as("failed calls in the window").isGreaterThanOrEqualTo(opening.attempts);
			assertThat(opening.failureRate).isGreaterThanOrEqualTo(THRESHOLD);
		});
	}

	/**
	 * A miss whose Redis read timed out is answered by the loader and the loaded value is
	 * not written back (operations.md, "Changes made while Redis was unreachable"; {@code
	 * L2Tier.UNAVAILABLE}): one timeout per miss, not two. Asynchronous callers
	 * ({@code Cache.retrieve(key, loader)}, which Spring uses for {@code @Cacheable}
	 * methods returning a {@code CompletableFuture}) are promised the same as synchronous
	 * ones.
	 */
	@Test
	void aMissWhoseReadTimedOutIsNotWrittenBackNeitherSynchronouslyNorAsynchronously() {
		Duration delay = Duration.ofMillis(400);
		runner(T_CMD).run((context) -> {
			TieredCache cache = cache(context, CACHE);
			TieredCacheStatistics stats = cache.getStatistics();
			CircuitBreaker breaker = breaker(context);
			Database db = new Database();
			await().atMost(Duration.ofSeconds(10)).until(context.getBean(InvalidationBusState.class)::isSubscribed);
			// A window full of fast calls, so the few timeouts below do not open the
			// breaker.
			misses(cache, db, "warm-up-miss-", 50, null);
			cache.retrieve("warm-async", () -> CompletableFuture.completedFuture(db.load("warm-async")))
				.get(5, TimeUnit.SECONDS);

			this.proxy.delay(delay);
			long requests = stats.l2Requests();
			long start = System.nanoTime();
			assertThat(cache.get("sync", () -> db.load("sync"))).isEqualTo("sync@v1");
			long syncNanos = System.nanoTime() - start;
			long syncCalls = stats.l2Requests() - requests;

			requests = stats.l2Requests();
			start = System.nanoTime();
			assertThat(cache.retrieve("async", () -> CompletableFuture.completedFuture(db.load("async")))
				.get(5, TimeUnit.SECONDS)).isEqualTo("async@v1");
			long asyncNanos = System.nanoTime() - start;
			long asyncCalls = stats.l2Requests() - requests;
			assertThat(breaker.getState()).isEqualTo(State.CLOSED);

			this.proxy.delay(Duration.ZERO);
			Object syncInRedis = FaultFixture.stored(redis, context, CACHE, "sync");
			Object asyncInRedis = FaultFixture.stored(redis, context, CACHE, "async");
			report("+" + delay.toMillis() + "ms, T_cmd " + T_CMD.toMillis() + "ms: synchronous miss "
					+ Latencies.format(syncNanos) + ", " + syncCalls + " L2 calls, Redis then holds " + syncInRedis
					+ "; asynchronous miss " + Latencies.format(asyncNanos) + ", " + asyncCalls
					+ " L2 calls, Redis then holds " + asyncInRedis);
			assertThat(syncCalls).as("L2 calls of a synchronous miss").isOne();
			assertThat(syncNanos).isLessThanOrEqualTo(T_CMD.plus(SLACK).toNanos());
			assertThat(syncInRedis).isNull();
			assertThat(asyncCalls).as("L2 calls of an asynchronous miss").isOne();
			assertThat(asyncNanos).isLessThanOrEqualTo(T_CMD.plus(SLACK).toNanos());
			assertThat(asyncInRedis).as("written back after the read timed out").isNull();
		});
	}

	/**
	 * The common part of the slow cases: a healthy baseline, then the delay; reads until
	 * the breaker opens; L1 hits and loads with the breaker open against the baseline;
	 * then a steady trickle of calls for a few open periods, watching the breaker's
	 * transitions.
	 */
	private Opening slowRedisOpensTheBreaker(ApplicationContext context, Duration delay) {
		TieredCache cache = cache(context, CACHE);
		TieredCacheStatistics stats = cache.getStatistics();
		CircuitBreaker breaker = context.getBean(CircuitBreakerL2Guard.class).getCircuitBreaker();
		assertThat(breaker).isSameAs(breaker(context));
		Database db = new Database();
		List<Transition> transitions = new CopyOnWriteArrayList<>();
		breaker.getEventPublisher()
			.onStateTransition((event) -> transitions
				.add(new Transition(System.nanoTime(), event.getStateTransition().getToState())));
		await().atMost(Duration.ofSeconds(10)).until(context.getBean(InvalidationBusState.class)::isSubscribed);
		assertThat(breaker.getCircuitBreakerConfig().getSlowCallDurationThreshold()).isEqualTo(T_SLOW);
		for (int i = 0; i < HOT; i++) {
			String key = hot(i);
			assertThat(cache.get(key, () -> db.load(key))).isEqualTo(key + "@v1");
		}
		hits(cache, db, "warm-up");
		long b = hits(cache, db, "B").p99();
		misses(cache, db, "warm-up-miss-", 2_000, null);
		plantAll(context, "slow-", 10 * N_MIN);

		// Until open: a read of a value Redis holds, one L2 call each.
		this.proxy.delay(delay);
		long requests = stats.l2Requests();
		long timeouts = stats.l2Timeouts();
		Latencies untilOpen = new Latencies("reads until open");
		int fromRedis = 0;
		int n = 0;
		while (breaker.getState() != State.OPEN && n < 10 * N_MIN) {
			String key = "slow-" + n++;
			long start = System.nanoTime();
			Object value = cache.get(key, () -> db.load(key));
			untilOpen.since(start);
			if (("l2-" + key).equals(value)) {
				fromRedis++;
			}
			else {
				assertThat(value).isEqualTo(key + "@v1");
			}
		}
		CircuitBreaker.Metrics metrics = breaker.getMetrics();
		Opening opening = new Opening(untilOpen, stats.l2Requests() - requests, stats.l2Timeouts() - timeouts,
				fromRedis, metrics.getNumberOfSlowCalls(), metrics.getNumberOfFailedCalls(), metrics.getSlowCallRate(),
				metrics.getFailureRate());
		report("+" + delay.toMillis() + "ms: " + untilOpen.summary() + " min=" + Latencies.format(untilOpen.min())
				+ "; " + opening.attempts + " L2 calls before open, " + opening.timeouts + " timed out, " + fromRedis
				+ " answered by Redis; window: " + metrics.getNumberOfSlowCalls() + " slow, "
				+ metrics.getNumberOfFailedCalls() + " failed of " + metrics.getNumberOfBufferedCalls()
				+ " (slow-call rate " + metrics.getSlowCallRate() + "%, failure rate " + metrics.getFailureRate()
				+ "%)");
		assertThat(breaker.getState()).isEqualTo(State.OPEN);
		// The window is full of the baseline's fast calls: it opens once half of it is
		// slow or
		// failed, i.e. after window * 50 % calls (N_min = 10 calls with the defaults).
		CircuitBreakerConfig config = breaker.getCircuitBreakerConfig();
		long enough = (long) Math.ceil(config.getSlidingWindowSize()
				* Math.min(config.getSlowCallRateThreshold(), config.getFailureRateThreshold()) / 100);
		assertThat(enough).isEqualTo(N_MIN);
		assertThat(opening.attempts).isBetween(1L, enough);

		// Open: L1 hits at the healthy latency, misses at the loader's cost plus a
		// little.
		long rejected = stats.l2Rejected();
		Latencies openHits = hits(cache, db, "L1 hits, breaker open");
		Latencies probes = new Latencies("half-open probes");
		Latencies openMisses = misses(cache, db, "open-miss-", 2_000, probes);
		long bound = Math.max(2 * b, b + millis(1));
		report("+" + delay.toMillis() + "ms: B p99=" + Latencies.format(b) + "; open: " + openHits.summary()
				+ " (bound " + Latencies.format(bound) + "); " + openMisses.summary() + " (bound "
				+ Latencies.format(b + millis(1)) + ")");
		assertThat(openHits.p99()).isLessThanOrEqualTo(bound);
		assertThat(openMisses.p99()).isLessThanOrEqualTo(b + millis(1));
		assertThat(stats.l2Rejected() - rejected).as("reads that skipped Redis")
			.isGreaterThanOrEqualTo(openMisses.count());

		// Steady delay: a trickle of calls for a few open periods.
		long start = System.nanoTime();
		int transitionsAtStart = transitions.size();
		long requestsAtStart = stats.l2Requests();
		Latencies steadyCalls = new Latencies("calls under the steady delay");
		Latencies steadyProbes = new Latencies("probes under the steady delay");
		int[] round = { 0 };
		await().atMost(STEADY.plusSeconds(5)).pollInSameThread().pollInterval(Duration.ofMillis(10)).until(() -> {
			int r = round[0]++;
			copy(hits(cache, db, "hits", 10), steadyCalls);
			copy(misses(cache, db, "steady-" + r + "-", 5, steadyProbes), steadyCalls);
			return System.nanoTime() - start >= STEADY.toNanos();
		});
		long end = System.nanoTime();
		List<Transition> steady = transitions.subList(transitionsAtStart, transitions.size());
		List<Long> opens = steady.stream().filter((t) -> t.to == State.OPEN).map((t) -> t.nanos).toList();
		long halfOpens = steady.stream().filter((t) -> t.to == State.HALF_OPEN).count();
		long steadyRequests = stats.l2Requests() - requestsAtStart;
		long shortestOpenToOpen = Long.MAX_VALUE;
		for (int i = 1; i < opens.size(); i++) {
			shortestOpenToOpen = Math.min(shortestOpenToOpen, opens.get(i) - opens.get(i - 1));
		}
		report("+" + delay.toMillis() + "ms steady for " + Latencies.format(end - start) + ": transitions "
				+ steady.stream().map((t) -> t.to.name()).toList() + "; shortest open-to-open "
				+ ((opens.size() > 1) ? Latencies.format(shortestOpenToOpen) : "n/a") + "; " + steadyRequests
				+ " L2 calls; " + steadyCalls.summary() + "; "
				+ ((steadyProbes.count() > 0) ? steadyProbes.summary() : "no probes"));
		assertThat(steady).as("never closes under a steady delay").noneMatch((t) -> t.to == State.CLOSED);
		// A cycle is W_open, then up to K_half probes, each bounded by T_cmd.
		assertThat(halfOpens).as("half-open periods")
			.isGreaterThanOrEqualTo(STEADY.dividedBy(W_OPEN.plus(T_CMD.multipliedBy(K_HALF)).plus(SLACK)));
		assertThat((long) opens.size()).as("openings").isLessThanOrEqualTo(STEADY.dividedBy(W_OPEN) + 1);
		if (opens.size() > 1) {
			assertThat(shortestOpenToOpen).as("shortest time between two openings")
				.isGreaterThanOrEqualTo(W_OPEN.toNanos());
		}
		assertThat(steadyRequests).as("L2 calls: the probes only").isLessThanOrEqualTo(K_HALF * halfOpens);
		assertThat(steadyProbes.max()).as("a call that probed")
			.isLessThanOrEqualTo(T_CMD.multipliedBy(2).plus(SLACK).toNanos());
		// Only the probes waited for Redis.
		long waited = IntStream.range(0, steadyCalls.count())
			.filter((i) -> steadyCalls.get(i) >= T_SLOW.toNanos())
			.count();
		assertThat(waited).as("calls other than probes that took T_slow or longer").isZero();
		return opening;
	}

	private static void plantAll(ApplicationContext context, String prefix, int count) {
		for (int i = 0; i < count; i++) {
			String key = prefix + i;
			plant(redis, context, CACHE, key, "l2-" + key);
		}
	}

	/**
	 * Reads of values only Redis holds ({@code prefix0} to {@code prefix1023}), each
	 * once, by {@value #CALLERS} concurrent callers; each value must be Redis's or the
	 * loader's.
	 */
	private static L2Reads l2Reads(TieredCache cache, Database db, String prefix, String name)
			throws InterruptedException {
		Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
		AtomicInteger fromRedis = new AtomicInteger();
		List<Latencies> perCaller = new ArrayList<>();
		List<Thread> callers = new ArrayList<>();
		for (int c = 0; c < CALLERS; c++) {
			Latencies mine = new Latencies(name);
			perCaller.add(mine);
			int first = c;
			callers.add(new Thread(() -> {
				for (int i = first; i < L2_CALLS; i += CALLERS) {
					String key = prefix + i;
					long start = System.nanoTime();
					try {
						Object value = cache.get(key, () -> db.load(key));
						mine.since(start);
						if (("l2-" + key).equals(value)) {
							fromRedis.incrementAndGet();
						}
						else if (!(key + "@v1").equals(value)) {
							throw new AssertionError("wrong value for " + key + ": " + value);
						}
					}
					catch (Throwable ex) {
						errors.add(ex);
					}
				}
			}, "slow-fault-caller-" + c));
		}
		callers.forEach(Thread::start);
		for (Thread caller : callers) {
			caller.join(Duration.ofSeconds(30).toMillis());
			assertThat(caller.isAlive()).as(caller.getName() + " finished").isFalse();
		}
		assertThat(errors).isEmpty();
		Latencies all = new Latencies(name);
		perCaller.forEach((one) -> copy(one, all));
		return new L2Reads(all, fromRedis.get());
	}

	private static Latencies copy(Latencies from, Latencies to) {
		for (int i = 0; i < from.count(); i++) {
			to.record(from.get(i));
		}
		return to;
	}

	private record Transition(long nanos, State to) {
	}

	/** What happened until the breaker opened. */
	private record Opening(Latencies calls, long attempts, long timeouts, long valuesFromRedis, long slowCalls,
			long failedCalls, float slowCallRate, float failureRate) {
	}

	/** Reads of values Redis holds: their latencies, and how many Redis answered. */
	private record L2Reads(Latencies latencies, int fromRedis) {
	}

}
