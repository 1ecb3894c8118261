package io.github.optimization.cache.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheStatistics;
import io.github.optimization.cache.fault.FaultFixture.Database;
import io.github.optimization.cache.redis.InvalidationBusState;

import org.springframework.context.ConfigurableApplicationContext;

import static io.github.optimization.cache.fault.FaultFixture.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The timed calls the fault tests share: L1 hits over a set of hot keys, misses measured
 * without their loader time, and a context closed while callers are parked on a broken
 * Redis.
 */
final class FaultCalls {

	/** How many hot keys the hit loops cycle over. */
	static final int HOT = 100;

	/** How many calls a hit loop makes. */
	static final int ROUNDS = 20_000;

	private FaultCalls() {
	}

	static String hot(int i) {
		return "hot-" + i;
	}

	/** {@value #ROUNDS} hits over the {@value #HOT} hot keys, each call timed. */
	static Latencies hits(TieredCache cache, Database db, String name) {
		return hits(cache, db, name, ROUNDS);
	}

	/**
	 * Hits over the hot keys, each call timed and checked against the current generation.
	 */
	static Latencies hits(TieredCache cache, Database db, String name, int rounds) {
		Latencies latencies = new Latencies(name);
		for (int i = 0; i < rounds; i++) {
			String key = hot(i % HOT);
			long start = System.nanoTime();
			Object value = cache.get(key, () -> db.load(key));
			latencies.since(start);
			if (!(key + "@" + db.generation()).equals(value)) {
				throw new AssertionError("wrong value for " + key + ": " + value);
			}
		}
		return latencies;
	}

	/**
	 * Misses of new keys; records each call's time minus the loader's. Calls that reached
	 * Redis (half-open probes) go to {@code probes} instead, with their full time.
	 */
	static Latencies misses(TieredCache cache, Database db, String prefix, int count, Latencies probes) {
		Latencies overhead = new Latencies("miss overhead over the loader");
		TieredCacheStatistics stats = cache.getStatistics();
		for (int i = 0; i < count; i++) {
			String key = prefix + i;
			long[] loader = new long[1];
			long requests = stats.l2Requests();
			long start = System.nanoTime();
			Object value = cache.get(key, () -> {
				long loadStart = System.nanoTime();
				String loaded = db.load(key);
				loader[0] = System.nanoTime() - loadStart;
				return loaded;
			});
			long elapsed = System.nanoTime() - start;
			if (!(key + "@" + db.generation()).equals(value)) {
				throw new AssertionError("wrong value for " + key + ": " + value);
			}
			if (probes != null && stats.l2Requests() != requests) {
				probes.record(elapsed);
			}
			else {
				overhead.record(elapsed - loader[0]);
			}
		}
		return overhead;
	}

	/**
	 * F21: breaks Redis while two callers are parked on it, then closes the context: it
	 * must close in under 5 s and both callers must still get their loader's value.
	 * @param context the context (its command timeout should outlast the close)
	 * @param cache a cache of the context
	 * @param breakRedis breaks Redis (freeze, blackhole, ...)
	 * @param how how Redis was broken, for the report
	 */
	static void closesQuicklyWithCallersParked(ConfigurableApplicationContext context, TieredCache cache,
			Runnable breakRedis, String how) throws InterruptedException {
		Database db = new Database();
		cache.get("warm", () -> db.load("warm"));
		await().atMost(Duration.ofSeconds(10)).until(context.getBean(InvalidationBusState.class)::isSubscribed);
		breakRedis.run();
		Queue<Object> results = new ConcurrentLinkedQueue<>();
		List<Thread> callers = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			String key = "parked-" + i;
			callers.add(new Thread(() -> {
				try {
					results.add(cache.get(key, () -> db.load(key)));
				}
				catch (Throwable ex) {
					results.add(ex);
				}
			}));
		}
		callers.forEach(Thread::start);
		await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> callers.stream().allMatch((t) -> t.getState() == Thread.State.TIMED_WAITING));

		long start = System.nanoTime();
		context.close();
		long closing = System.nanoTime() - start;
		for (Thread caller : callers) {
			caller.join(Duration.ofSeconds(5).toMillis());
			assertThat(caller.isAlive()).isFalse();
		}
		report("context closed in " + Latencies.format(closing) + " with Redis " + how
				+ " and two callers parked on it; they got " + results);
		assertThat(closing).isLessThan(Duration.ofSeconds(5).toNanos());
		assertThat(results).containsExactlyInAnyOrder("parked-0@v1", "parked-1@v1");
	}

}
