package io.github.optimization.cache.coherence;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheStatistics.LockAttempt;
import io.github.optimization.cache.TieredCacheStatistics.LockRelease;
import io.github.optimization.cache.TieredCacheStatistics.LockWait;
import io.github.optimization.cache.key.RedisKeyScheme;
import io.github.optimization.test.redis.RedisServerExtension;
import io.lettuce.core.SetArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache.ValueRetrievalException;

import static io.github.optimization.cache.coherence.TwoInstances.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A lock whose holder goes away without a value: it crashed (the lock expires), its
 * loader threw (the lock is released), or it hangs (the load-wait timeout ends the wait).
 */
class ClusterLockRecoveryTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final Duration POLL = Duration.ofMillis(10);

	/** Scheduling and GC on a busy 2-core machine, on top of every bound. */
	private static final Duration MARGIN = Duration.ofMillis(500);

	private static final byte[] LOCK = new RedisKeyScheme("opt:", 1).forCache("users").lockKey("k");

	private final ApplicationContextRunner runner = TwoInstances.runner(redis)
		.withPropertyValues("optimization.cache.caches.users.cluster-single-flight.enabled=true",
				"optimization.cache.caches.users.cluster-single-flight.poll-interval=" + POLL.toMillis() + "ms");

	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final AtomicInteger loads = new AtomicInteger();

	@BeforeEach
	void emptyRedis() {
		redis.flushAll();
	}

	@AfterEach
	void stopCallers() {
		this.callers.shutdownNow();
	}

	@Test
	void aCrashedHoldersLockDelaysTheCallerOnlyUntilItExpires() {
		Duration lockTtl = Duration.ofMillis(500);
		this.runner.run((context) -> {
			TieredCache cache = subscribed(context);
			long planted = System.nanoTime();
			plantLock(lockTtl);

			long start = System.nanoTime();
			Object value = cache.get("k", () -> load("v"));
			long waited = System.nanoTime() - start;

			System.out.println("[cluster] crashed holder, lock TTL " + lockTtl.toMillis() + "ms: caller waited "
					+ TimeUnit.NANOSECONDS.toMillis(waited) + "ms");
			assertThat(value).isEqualTo("v");
			assertThat(this.loads).hasValue(1);
			assertThat(System.nanoTime() - planted).as("the caller loaded only once the lock had expired")
				.isGreaterThanOrEqualTo(lockTtl.minusMillis(20).toNanos());
			assertThat(waited).as("wait: lock TTL + poll + margin")
				.isLessThan(lockTtl.plus(POLL).plus(MARGIN).toNanos());
			assertThat(cache.getStatistics().lockWaits(LockWait.TAKEOVER)).isEqualTo(1);
			assertThat(redis.adminBytes().exists(LOCK)).as("the taken-over lock is released").isZero();
		});
	}

	@Test
	void aHoldersLockLongerThanTheLoadWaitTimeoutDelaysTheCallersOnlyForItAndOneLoads() {
		Duration loadWaitTimeout = Duration.ofMillis(600);
		this.runner
			.withPropertyValues(
					"optimization.cache.caches.users.load-wait-timeout=" + loadWaitTimeout.toMillis() + "ms")
			.run((context) -> {
				TieredCache cache = subscribed(context);
				plantLock(Duration.ofMinutes(1));

				long start = System.nanoTime();
				java.util.List<java.util.concurrent.Future<Object>> results = new java.util.ArrayList<>();
				for (int i = 0; i < 4; i++) {
					results.add(this.callers.submit(() -> cache.get("k", () -> slowLoad("v"))));
				}
				for (java.util.concurrent.Future<Object> result : results) {
					assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("v");
				}
				long waited = System.nanoTime() - start;

				System.out.println("[cluster] hung holder, load-wait timeout " + loadWaitTimeout.toMillis()
						+ "ms: 4 callers waited " + TimeUnit.NANOSECONDS.toMillis(waited) + "ms");
				assertThat(this.loads)
					.as("the leader loads once it gave up waiting; its local waiters wait for that load")
					.hasValue(1);
				assertThat(waited).isGreaterThanOrEqualTo(loadWaitTimeout.toNanos())
					.isLessThan(loadWaitTimeout.plusMillis(200).plus(MARGIN).toNanos());
				assertThat(cache.getStatistics().lockWaits(LockWait.TIMEOUT)).isEqualTo(1);
				assertThat(redis.adminBytes().exists(LOCK)).as("another's lock is left alone").isOne();
			});
	}

	@Test
	void aLoaderFailureReachesTheCallerReleasesTheLockAndTheNextCallLoads() {
		this.runner.run((context) -> {
			TieredCache cache = subscribed(context);

			assertThatThrownBy(() -> cache.get("k", () -> {
				assertThat(redis.adminBytes().exists(LOCK)).as("the lock is held while loading").isOne();
				throw new IllegalStateException("database down");
			})).isInstanceOf(ValueRetrievalException.class).hasRootCauseMessage("database down");
			assertThat(redis.adminBytes().exists(LOCK)).as("the lock after the failure").isZero();
			assertThat(cache.getStatistics().lockReleases(LockRelease.RELEASED)).isEqualTo(1);

			assertThat(cache.get("k", () -> load("v"))).isEqualTo("v");
			assertThat(this.loads).hasValue(1);
		});
	}

	@Test
	void anInstanceWaitingForAFailingHolderTakesTheLockOverAndLoads() {
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			CountDownLatch loading = new CountDownLatch(1);
			CountDownLatch fail = new CountDownLatch(1);
			Future<Object> holder = this.callers.submit(() -> a.cache("users").get("k", () -> {
				loading.countDown();
				fail.await(10, TimeUnit.SECONDS);
				throw new IllegalStateException("database down");
			}));
			assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
			Future<Object> waiter = this.callers.submit(() -> b.cache("users").get("k", () -> load("loaded by B")));
			eventually().until(() -> b.cache("users").getStatistics().lockAttempts(LockAttempt.BUSY) > 0);

			fail.countDown();

			assertThatThrownBy(() -> holder.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("database down");
			assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("loaded by B");
			assertThat(this.loads).hasValue(1);
			assertThat(b.cache("users").getStatistics().lockWaits(LockWait.TAKEOVER)).isEqualTo(1);
			assertThat(redis.adminBytes().exists(LOCK)).isZero();
		});
	}

	private static TieredCache subscribed(org.springframework.context.ApplicationContext context) {
		Instance instance = new Instance("A", context);
		// Subscribing drops L1 and stales running loads: have it done first.
		TwoInstances.awaitSubscribed(redis, instance);
		return instance.cache("users");
	}

	private static void plantLock(Duration ttl) {
		String reply = redis.adminBytes()
			.set(LOCK, "crashed-holder".getBytes(StandardCharsets.UTF_8), SetArgs.Builder.nx().px(ttl.toMillis()));
		assertThat(reply).isEqualTo("OK");
	}

	private String load(String value) {
		this.loads.incrementAndGet();
		return value;
	}

	/**
	 * A load that takes 200 ms (the simulated work), so waiters time out while it runs.
	 */
	private String slowLoad(String value) throws InterruptedException {
		this.loads.incrementAndGet();
		Thread.sleep(200);
		return value;
	}

}
