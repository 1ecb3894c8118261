package io.github.optimization.cache.coherence;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheStatistics.LockAttempt;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Redis gone there is no lock to take: each instance falls back to its own single
 * flight, and no caller sees an exception.
 */
class ClusterSingleFlightRedisDownTests {

	// One server per test: this one is killed.
	@RegisterExtension
	final RedisServerExtension redis = new RedisServerExtension();

	@Test
	void withRedisKilledEachInstanceLoadsOnceAndNoCallerFails() {
		TwoInstances.run(
				TwoInstances.runner(this.redis)
					.withPropertyValues("optimization.cache.caches.users.cluster-single-flight.enabled=true"),
				(a, b) -> {
					TwoInstances.awaitSubscribed(this.redis, a, b);
					this.redis.kill();
					AtomicInteger loads = new AtomicInteger();
					TieredCache cacheA = a.cache("users");
					TieredCache cacheB = b.cache("users");

					Stampede.Result result = Stampede.run(32, List.of(() -> cacheA.get("cold", loader(loads, "A")),
							() -> cacheB.get("cold", loader(loads, "B"))));

					System.out.println("[cluster] 64 callers on 2 instances, Redis killed: loader " + loads.get()
							+ " call(s), longest caller wait " + result.maxWaitMillis() + "ms");
					assertThat(result.failures()).as("exceptions at callers").isEmpty();
					assertThat(loads).as("loader calls, one per instance").hasValue(2);
					assertThat(result.values()).filteredOn("loaded by A"::equals).hasSize(32);
					assertThat(result.values()).filteredOn("loaded by B"::equals).hasSize(32);
					assertThat(cacheA.getStatistics().lockAttempts(LockAttempt.ACQUIRED)
							+ cacheB.getStatistics().lockAttempts(LockAttempt.ACQUIRED))
						.isZero();
				});
	}

	private static Callable<String> loader(AtomicInteger loads, String instance) {
		return () -> {
			loads.incrementAndGet();
			Thread.sleep(50); // the simulated work of the loader
			return "loaded by " + instance;
		};
	}

}
