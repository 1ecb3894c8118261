package io.github.optimization.cache.coherence;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.metrics.MeterNames;
import io.github.optimization.metrics.TieredCacheMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.github.optimization.cache.TieredCacheStatistics.LockAttempt;
import io.github.optimization.cache.TieredCacheStatistics.LockRelease;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * F16 across instances: 64 callers of one cold key, 32 on each of two instances, released
 * together. With cluster single flight the loader runs once in the whole cluster; without
 * it, once per instance.
 */
class ClusterSingleFlightTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final int PER_INSTANCE = 32;

	private static final Duration LOADER_TIME = Duration.ofMillis(50);

	private final ApplicationContextRunner runner = TwoInstances.runner(redis);

	@BeforeEach
	void emptyRedis() {
		redis.flushAll();
	}

	@Test
	void sixtyFourCallersOnTwoInstancesCauseOneLoaderCall() {
		TwoInstances.run(
				this.runner.withPropertyValues("optimization.cache.caches.users.cluster-single-flight.enabled=true"),
				(a, b) -> {
					// Subscribing drops L1 and stales running loads: have it done first.
					TwoInstances.awaitSubscribed(redis, a, b);
					AtomicInteger loads = new AtomicInteger();
					TieredCache cacheA = a.cache("users");
					TieredCache cacheB = b.cache("users");
					Stampede.Result result = Stampede.run(PER_INSTANCE,
							List.of(() -> cacheA.get("cold", loader(loads, "A")),
									() -> cacheB.get("cold", loader(loads, "B"))));

					System.out.println("[cluster] 64 callers on 2 instances, cluster single flight: loader "
							+ loads.get() + " call(s) of " + LOADER_TIME.toMillis() + "ms, longest caller wait "
							+ result.maxWaitMillis() + "ms");
					assertThat(result.failures()).isEmpty();
					assertThat(loads).as("loader calls across both instances").hasValue(1);
					assertThat(result.values()).hasSize(2 * PER_INSTANCE).containsOnly(result.values().get(0));
					assertThat(result.maxWaitNanos()).as("longest caller wait (F16: loader + T_cmd + 100ms)")
						.isLessThan(LOADER_TIME.plusSeconds(1).toNanos());
					assertThat(cacheA.getStatistics().lockAttempts(LockAttempt.ACQUIRED)
							+ cacheB.getStatistics().lockAttempts(LockAttempt.ACQUIRED))
						.as("locks taken")
						.isEqualTo(1);
					assertThat(cacheA.getStatistics().lockReleases(LockRelease.RELEASED)
							+ cacheB.getStatistics().lockReleases(LockRelease.RELEASED))
						.as("locks released")
						.isEqualTo(1);
					assertThat(redis.admin().keys("opt:lock:*")).as("locks left in Redis").isEmpty();
				});
	}

	@Test
	void withoutTheOptionEachInstanceLoadsOnce() {
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			AtomicInteger loads = new AtomicInteger();
			// Both loads overlap for sure, so neither instance can find the other's
			// value.
			CountDownLatch bothLoading = new CountDownLatch(2);
			TieredCache cacheA = a.cache("users");
			TieredCache cacheB = b.cache("users");
			Stampede.Result result = Stampede.run(PER_INSTANCE,
					List.of(() -> cacheA.get("cold", overlapping(loads, bothLoading, "A")),
							() -> cacheB.get("cold", overlapping(loads, bothLoading, "B"))));

			System.out.println("[cluster] 64 callers on 2 instances, per-instance single flight: loader " + loads.get()
					+ " call(s), longest caller wait " + result.maxWaitMillis() + "ms");
			assertThat(result.failures()).isEmpty();
			assertThat(loads).as("loader calls, one per instance").hasValue(2);
			assertThat(cacheA.getStatistics().lockAttempts(LockAttempt.ACQUIRED)
					+ cacheA.getStatistics().lockAttempts(LockAttempt.BUSY))
				.as("no lock is asked for")
				.isZero();
		});
	}

	@Test
	void lockMetersCountAttemptsWaitsAndReleasesOfClusterCachesOnly() {
		TwoInstances
			.run(this.runner.withPropertyValues("optimization.cache.caches.users.cluster-single-flight.enabled=true",
					"optimization.cache.caches.plain.ttl=10m"), (a, b) -> {
						TwoInstances.awaitSubscribed(redis, a, b);
						CountDownLatch loading = new CountDownLatch(1);
						CountDownLatch finish = new CountDownLatch(1);
						CompletableFuture<Object> holder = CompletableFuture
							.supplyAsync(() -> a.cache("users").get("k", () -> {
								loading.countDown();
								finish.await(10, TimeUnit.SECONDS);
								return "v";
							}));
						assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
						CompletableFuture<Object> waiter = CompletableFuture
							.supplyAsync(() -> b.cache("users").get("k", () -> "B"));
						TwoInstances.eventually()
							.until(() -> b.cache("users").getStatistics().lockAttempts(LockAttempt.BUSY) > 0);
						finish.countDown();
						assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("v");
						assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("v");

						MeterRegistry registryA = bind(a.cache("users"), a.cache("plain"));
						MeterRegistry registryB = bind(b.cache("users"));
						assertThat(registryA.get(MeterNames.CACHE_LOCK_ACQUISITIONS)
							.tag("result", "acquired")
							.functionCounter()
							.count()).isEqualTo(1);
						assertThat(registryA.get(MeterNames.CACHE_LOCK_RELEASES)
							.tag("result", "released")
							.functionCounter()
							.count()).isEqualTo(1);
						assertThat(registryB.get(MeterNames.CACHE_LOCK_ACQUISITIONS)
							.tag("result", "busy")
							.functionCounter()
							.count()).as("B's first attempt and its retries while polling").isGreaterThanOrEqualTo(1);
						assertThat(registryB.get(MeterNames.CACHE_LOCK_WAITS)
							.tag("result", "value")
							.functionTimer()
							.count()).isEqualTo(1);
						assertThat(registryB.get(MeterNames.CACHE_LOCK_WAITS)
							.tag("result", "timeout")
							.functionTimer()
							.count()).isZero();
						assertThat(registryA.find(MeterNames.CACHE_LOCK_ACQUISITIONS).tag("cache", "plain").meters())
							.as("no lock meters for a cache without cluster single flight")
							.isEmpty();
					});
	}

	private static MeterRegistry bind(TieredCache... caches) {
		MeterRegistry registry = new SimpleMeterRegistry();
		for (TieredCache cache : caches) {
			new TieredCacheMeterBinder(cache, Tags.empty()).bindTo(registry);
		}
		return registry;
	}

	private static Callable<String> loader(AtomicInteger loads, String instance) {
		return () -> {
			loads.incrementAndGet();
			Thread.sleep(LOADER_TIME.toMillis()); // the simulated work of the loader
			return "loaded by " + instance;
		};
	}

	private static Callable<String> overlapping(AtomicInteger loads, CountDownLatch bothLoading, String instance) {
		return () -> {
			loads.incrementAndGet();
			bothLoading.countDown();
			bothLoading.await(10, TimeUnit.SECONDS);
			return "loaded by " + instance;
		};
	}

}
