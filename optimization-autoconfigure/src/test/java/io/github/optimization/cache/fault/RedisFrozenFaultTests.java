package io.github.optimization.cache.fault;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheStatistics;
import io.github.optimization.cache.fault.FaultFixture.Database;
import io.github.optimization.cache.redis.InvalidationBusState;
import io.github.optimization.test.redis.RedisServerExtension;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cache.Cache.ValueWrapper;

import static io.github.optimization.cache.fault.FaultCalls.HOT;
import static io.github.optimization.cache.fault.FaultCalls.ROUNDS;
import static io.github.optimization.cache.fault.FaultCalls.hits;
import static io.github.optimization.cache.fault.FaultCalls.hot;
import static io.github.optimization.cache.fault.FaultCalls.misses;
import static io.github.optimization.cache.fault.FaultFixture.K_HALF;
import static io.github.optimization.cache.fault.FaultFixture.N_MIN;
import static io.github.optimization.cache.fault.FaultFixture.SLACK;
import static io.github.optimization.cache.fault.FaultFixture.T_CMD;
import static io.github.optimization.cache.fault.FaultFixture.W_OPEN;
import static io.github.optimization.cache.fault.FaultFixture.breaker;
import static io.github.optimization.cache.fault.FaultFixture.cache;
import static io.github.optimization.cache.fault.FaultFixture.plant;
import static io.github.optimization.cache.fault.FaultFixture.report;
import static io.github.optimization.cache.fault.FaultFixture.stored;
import static io.github.optimization.cache.fault.Latencies.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * F4 and F21: Redis hung with its TCP connections alive (SIGSTOP). Until the breaker
 * opens a call waits at most the command timeout per L2 call; once it is open L1 hits are
 * back at the healthy latency and misses cost the loader plus a small overhead; after
 * SIGCONT the same context uses L2 again. The context also closes quickly while Redis is
 * hung.
 */
@Tag("fault")
class RedisFrozenFaultTests {

	private static final String CACHE = "items";

	@RegisterExtension
	final RedisServerExtension redis = new RedisServerExtension();

	@Test
	void hungRedisCostsAtMostTheCommandTimeoutUntilTheBreakerOpensAndNothingAfter() {
		// The subscription watchdog would drop L1 ~6 s into the freeze (PING unanswered):
		// right,
		// but it would turn the measured hits into loads, so it ticks rarely here.
		FaultFixture.runner(this.redis.port())
			.withUserConfiguration(ItemService.Config.class)
			.withPropertyValues("optimization.cache.invalidation.ping-interval=30s")
			.run((context) -> {
				TieredCache cache = cache(context, CACHE);
				TieredCacheStatistics stats = cache.getStatistics();
				CircuitBreaker breaker = breaker(context);
				Database db = context.getBean(Database.class);
				ItemService service = context.getBean(ItemService.class);
				AtomicInteger halfOpens = new AtomicInteger();
				breaker.getEventPublisher().onStateTransition((event) -> {
					if (event.getStateTransition().getToState() == CircuitBreaker.State.HALF_OPEN) {
						halfOpens.incrementAndGet();
					}
				});
				for (int i = 0; i < HOT; i++) {
					String key = hot(i);
					assertThat(cache.get(key, () -> db.load(key))).isEqualTo(key + "@v1");
				}
				assertThat(service.item("a1")).isEqualTo("a1@v1");
				await().atMost(Duration.ofSeconds(10)).until(context.getBean(InvalidationBusState.class)::isSubscribed);
				hits(cache, db, "warm-up");
				long b = hits(cache, db, "B").p99();
				Latencies healthyMisses = misses(cache, db, "healthy-miss-", 300, null);

				this.redis.resetCommandStats();
				this.redis.freeze();
				long requestsAtFreeze = stats.l2Requests();
				long timeoutsAtFreeze = stats.l2Timeouts();
				long probes;
				try {
					// Until open: each L2 call waits for the command timeout, no longer.
					// A miss makes
					// two L2 calls (the read, then the write of the loaded value), so it
					// waits twice.
					Latencies untilOpen = new Latencies("misses until open");
					long nanosAtFreeze = stats.l2Nanos();
					int n = 0;
					while (breaker.getState() != CircuitBreaker.State.OPEN && n < 10 * N_MIN) {
						String key = "frozen-" + n++;
						long start = System.nanoTime();
						assertThat(cache.get(key, () -> db.load(key))).isEqualTo(key + "@v1");
						untilOpen.since(start);
					}
					long attempts = stats.l2Requests() - requestsAtFreeze;
					long meanCall = (stats.l2Nanos() - nanosAtFreeze) / Math.max(1, attempts);
					report(untilOpen.summary() + "; " + attempts + " L2 calls before open, "
							+ (stats.l2Timeouts() - timeoutsAtFreeze) + " timed out, mean L2 call "
							+ Latencies.format(meanCall) + "; T_cmd=" + T_CMD.toMillis() + "ms");
					assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
					assertThat(attempts).isBetween(1L, (long) N_MIN);
					assertThat(stats.l2Timeouts() - timeoutsAtFreeze).isEqualTo(attempts);
					assertThat(meanCall).as("an L2 call waits for T_cmd, not longer")
						.isBetween(T_CMD.toNanos(), T_CMD.plusMillis(50).toNanos());
					assertThat(untilOpen.max()).as("a call before the breaker opened")
						.isLessThanOrEqualTo(T_CMD.plus(SLACK).toNanos());

					// Open: L1 hits at the healthy latency.
					long l1HitsBefore = stats.l1Hits();
					Latencies frozenHits = hits(cache, db, "L1 hits, Redis frozen, breaker open");
					assertThat(stats.l1Hits() - l1HitsBefore).isEqualTo(ROUNDS);
					long bound = Math.max(2 * b, b + millis(1));
					report("B p99=" + Latencies.format(b) + "; frozen p99=" + Latencies.format(frozenHits.p99())
							+ " (bound " + Latencies.format(bound) + ")");
					assertThat(frozenHits.p99()).isLessThanOrEqualTo(bound);

					// Open: a miss costs the loader plus a small overhead (measured after
					// the same
					// warm-up as B, so the JIT does not count).
					misses(cache, db, "warm-up-miss-", 2_000, null);
					long requestsAtOpen = stats.l2Requests();
					int halfOpensAtOpen = halfOpens.get();
					Latencies probeCalls = new Latencies("probe calls");
					Latencies overhead = misses(cache, db, "open-miss-", 2_000, probeCalls);
					report("healthy " + healthyMisses.summary() + "; open " + overhead.summary());
					assertThat(overhead.p99()).isLessThanOrEqualTo(b + millis(1));

					// Half-open: the probes time out like any call (T_cmd each), at most
					// K_half of
					// them, and the breaker opens again.
					int[] m = { 0 };
					await().atMost(W_OPEN.plusSeconds(5))
						.pollInSameThread()
						.pollInterval(Duration.ofMillis(5))
						.until(() -> {
							misses(cache, db, "probe-miss-" + m[0]++ + "-", 20, probeCalls);
							return halfOpens.get() > halfOpensAtOpen && breaker.getState() == CircuitBreaker.State.OPEN;
						});
					probes = stats.l2Requests() - requestsAtOpen;
					int cycles = halfOpens.get() - halfOpensAtOpen;
					report(probeCalls.summary() + "; " + probes + " L2 probes over " + cycles + " half-open periods");
					assertThat(probes).isBetween(1L, (long) K_HALF * cycles);
					assertThat(probeCalls.max()).isLessThanOrEqualTo(T_CMD.multipliedBy(2).plus(SLACK).toNanos());
					assertThat(service.item("open-annotated")).isEqualTo("open-annotated@v1");
				}
				finally {
					this.redis.resume();
				}
				long resumed = System.nanoTime();

				// Server side: the frozen server received only the calls made before the
				// breaker
				// opened and the probes; it executes them once resumed.
				long attemptsWhileFrozen = stats.l2Requests() - requestsAtFreeze;
				await().atMost(Duration.ofSeconds(5))
					.until(() -> this.redis.commandCount("get") + this.redis.commandCount("set") > 0);
				long atServer = this.redis.commandCount("get") + this.redis.commandCount("set");
				report("the frozen server executed " + atServer + " GET/SET once resumed; the cache made "
						+ attemptsWhileFrozen + " L2 calls while it was frozen");
				assertThat(atServer).isLessThanOrEqualTo(attemptsWhileFrozen);

				// Resumed: the same context reads from L2 again.
				plant(this.redis, context, CACHE, "peer-key", "from-peer");
				await().atMost(W_OPEN.plus(T_CMD.multipliedBy(K_HALF)).plusSeconds(4))
					.pollInSameThread()
					.pollInterval(Duration.ofMillis(20))
					.untilAsserted(() -> assertThat(cache.get("peer-key")).extracting(ValueWrapper::get)
						.isEqualTo("from-peer"));
				report("L2 read again " + Latencies.format(System.nanoTime() - resumed) + " after SIGCONT");
				assertThat(cache.get("after-resume", () -> db.load("after-resume"))).isEqualTo("after-resume@v1");
				assertThat(stored(this.redis, context, CACHE, "after-resume")).isEqualTo("after-resume@v1");
			});
	}

	@Test
	void contextClosesQuicklyWhileRedisIsFrozen() {
		// A long command timeout, so callers are surely still parked on the frozen server
		// while the context closes.
		try {
			FaultFixture.runner(this.redis.port())
				.withPropertyValues("optimization.cache.redis.command-timeout=3s")
				.run((context) -> {
					FaultCalls.closesQuicklyWithCallersParked(context, cache(context, CACHE), this.redis::freeze,
							"frozen");
				});
		}
		finally {
			this.redis.resume();
		}
	}

}
