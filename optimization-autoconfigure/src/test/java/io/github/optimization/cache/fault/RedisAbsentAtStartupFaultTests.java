package io.github.optimization.cache.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.cache.TieredCacheStatistics;
import io.github.optimization.cache.fault.FaultFixture.Database;
import io.github.optimization.test.redis.RedisServerExtension;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.cache.Cache.ValueWrapper;

import static io.github.optimization.cache.fault.FaultFixture.D_RC;
import static io.github.optimization.cache.fault.FaultFixture.N_MIN;
import static io.github.optimization.cache.fault.FaultFixture.SLACK;
import static io.github.optimization.cache.fault.FaultFixture.T_CMD;
import static io.github.optimization.cache.fault.FaultFixture.W_OPEN;
import static io.github.optimization.cache.fault.FaultFixture.breaker;
import static io.github.optimization.cache.fault.FaultFixture.cache;
import static io.github.optimization.cache.fault.FaultFixture.manager;
import static io.github.optimization.cache.fault.FaultFixture.plant;
import static io.github.optimization.cache.fault.FaultFixture.report;
import static io.github.optimization.cache.fault.FaultFixture.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * F1: the application starts while Redis is absent (nothing listens on the port) or hung
 * (SIGSTOPped). It starts quickly, serves every call from L1 and the loader without an
 * exception, opens the breaker after at most N_min L2 calls, and becomes two-level
 * without a restart once Redis is there.
 */
@Tag("fault")
class RedisAbsentAtStartupFaultTests {

	private static final String CACHE = "items";

	private static final Duration STARTUP_BOUND = Duration.ofSeconds(5);

	@RegisterExtension
	final RedisServerExtension redis = new RedisServerExtension();

	@Test
	void startsWithoutRedisAndBecomesTwoLevelOnceAServerListens() {
		int port = this.redis.port();
		this.redis.kill();
		long start = System.nanoTime();
		FaultFixture.runner(port).withUserConfiguration(ItemService.Config.class).run((context) -> {
			long startup = System.nanoTime() - start;
			report("started in " + Latencies.format(startup) + " with nothing listening on the Redis port");
			assertThat(context).hasNotFailed();
			assertThat(startup).isLessThan(STARTUP_BOUND.toNanos());
			servedWithoutRedis(context, "refused");

			this.redis.restart();
			becomesTwoLevel(context, System.nanoTime());
		});
	}

	@Test
	void startsWhileRedisIsHungAndBecomesTwoLevelOnceItAnswers() {
		int port = this.redis.port();
		this.redis.freeze();
		try {
			long start = System.nanoTime();
			FaultFixture.runner(port).withUserConfiguration(ItemService.Config.class).run((context) -> {
				long startup = System.nanoTime() - start;
				report("started in " + Latencies.format(startup) + " with Redis frozen");
				assertThat(context).hasNotFailed();
				assertThat(startup).isLessThan(STARTUP_BOUND.toNanos());
				servedWithoutRedis(context, "hung");

				this.redis.resume();
				becomesTwoLevel(context, System.nanoTime());
			});
		}
		finally {
			this.redis.resume();
		}
	}

	@Test
	void concurrentCallersDoNotQueueBehindConnectionAttemptsToAHungRedis() {
		int port = this.redis.port();
		this.redis.freeze();
		try {
			FaultFixture.runner(port).run((context) -> {
				TieredCache cache = cache(context, CACHE);
				CircuitBreaker breaker = breaker(context);
				Database db = new Database();
				int threads = 8;
				List<Latencies> latencies = new ArrayList<>();
				Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
				CountDownLatch go = new CountDownLatch(1);
				List<Thread> callers = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					Latencies mine = new Latencies("caller-" + t);
					latencies.add(mine);
					String prefix = "t" + t + "-";
					callers.add(new Thread(() -> {
						try {
							go.await();
							for (int i = 0; i < 5; i++) {
								String key = prefix + i;
								long start = System.nanoTime();
								if (!(key + "@v1").equals(cache.get(key, () -> db.load(key)))) {
									throw new AssertionError("wrong value for " + key);
								}
								mine.since(start);
							}
						}
						catch (Throwable ex) {
							errors.add(ex);
						}
					}));
				}
				callers.forEach(Thread::start);
				go.countDown();
				for (Thread caller : callers) {
					caller.join(Duration.ofSeconds(30).toMillis());
				}
				Latencies all = new Latencies(threads + " concurrent callers, misses, Redis hung since startup");
				latencies.forEach((one) -> {
					for (int i = 0; i < one.count(); i++) {
						all.record(one.get(i));
					}
				});
				report(all.summary() + "; breaker " + breaker.getState() + ", " + cache.getStatistics().l2Requests()
						+ " L2 calls");
				assertThat(errors).isEmpty();
				assertThat(all.count()).isEqualTo(threads * 5);
				// A miss makes two L2 calls, each bounded by T_cmd: nobody waits for the
				// others'
				// connection attempts.
				assertThat(all.max()).isLessThanOrEqualTo(T_CMD.multipliedBy(2).plus(SLACK).toNanos());
			});
		}
		finally {
			this.redis.resume();
		}
	}

	/**
	 * Calls work without Redis, the breaker opens after at most N_min L2 calls, L1
	 * serves.
	 */
	private void servedWithoutRedis(AssertableApplicationContext context, String how) {
		TieredCacheManager manager = manager(context);
		assertThat(manager.isTwoLevel()).isTrue();
		TieredCache cache = cache(context, CACHE);
		TieredCacheStatistics stats = cache.getStatistics();
		CircuitBreaker breaker = breaker(context);
		Database db = context.getBean(Database.class);
		ItemService service = context.getBean(ItemService.class);
		Latencies calls = new Latencies("misses until open (" + how + ")");
		int n = 0;
		while (breaker.getState() != CircuitBreaker.State.OPEN && n < 10 * N_MIN) {
			String key = "k" + n++;
			long started = System.nanoTime();
			assertThat(cache.get(key, () -> db.load(key))).isEqualTo(key + "@v1");
			calls.since(started);
		}
		report(calls.summary() + "; " + stats.l2Requests() + " L2 calls, " + stats.l2Errors() + " failed");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(stats.l2Requests()).isBetween(1L, (long) N_MIN);
		assertThat(stats.l2Errors()).isEqualTo(stats.l2Requests());
		// Each L2 call is bounded by the command timeout, so a miss (read + write) by
		// twice that.
		assertThat(calls.max()).isLessThanOrEqualTo(T_CMD.multipliedBy(2).plus(SLACK).toNanos());
		long l1Hits = stats.l1Hits();
		for (int i = 0; i < n; i++) {
			String key = "k" + i;
			assertThat(cache.get(key, () -> db.load(key))).isEqualTo(key + "@v1");
		}
		assertThat(stats.l1Hits() - l1Hits).isEqualTo(n);
		assertThat(service.item("annotated-1")).isEqualTo("annotated-1@v1");
		assertThat(db.loads()).isEqualTo(n + 1);
	}

	/**
	 * Without restarting the context, values written by another instance are read from L2
	 * and loads are written to it.
	 */
	private void becomesTwoLevel(AssertableApplicationContext context, long since) {
		TieredCache cache = cache(context, CACHE);
		Database db = context.getBean(Database.class);
		plant(this.redis, context, CACHE, "peer-key", "from-peer");
		await().atMost(W_OPEN.plus(D_RC).plusSeconds(5))
			.pollInSameThread()
			.pollInterval(Duration.ofMillis(20))
			.untilAsserted(
					() -> assertThat(cache.get("peer-key")).extracting(ValueWrapper::get).isEqualTo("from-peer"));
		report("two-level " + Latencies.format(System.nanoTime() - since) + " after Redis became available");
		assertThat(cache.get("later", () -> db.load("later"))).isEqualTo("later@v1");
		assertThat(stored(this.redis, context, CACHE, "later")).isEqualTo("later@v1");
	}

}
