package io.github.optimization.cache.coherence;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.optimization.cache.coherence.Instance.ABSENT;
import static org.assertj.core.api.Assertions.assertThat;
import static io.github.optimization.cache.coherence.TwoInstances.eventually;

/**
 * Two instances keep their in-process levels coherent through the invalidation bus: a
 * put, an eviction or a clear on B removes what A holds, and an instance never reacts to
 * its own messages.
 */
class BasicCoherenceTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final ApplicationContextRunner runner = TwoInstances.runner(redis);

	@BeforeEach
	void emptyRedis() {
		redis.flushAll();
	}

	@Test
	void putEvictAndClearOnBDropWhatAHolds() {
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			bothHold(a, b, "users", "k", "v1");

			b.cache("users").put("k", "v2");
			eventually().until(() -> a.l1("users", "k") == ABSENT);
			assertThat(a.cache("users").get("k").get()).as("A reads B's value from Redis").isEqualTo("v2");
			assertThat(a.l1("users", "k")).isEqualTo("v2");

			b.cache("users").evict("k");
			eventually().until(() -> a.l1("users", "k") == ABSENT);
			assertThat(a.cache("users").get("k")).as("A misses after B evicted").isNull();
			assertThat(a.cache("users").get("k", () -> "loaded")).isEqualTo("loaded");

			// A holds entries of two caches; B clears one of them.
			b.cache("users").put("k2", "x");
			eventually().until(() -> a.stats().received() >= 3);
			a.cache("users").get("k2");
			a.cache("orders").put("o", "order");
			assertThat(a.cache("users").estimatedL1Size()).isEqualTo(2);
			long received = a.stats().received();
			b.cache("users").clear();
			eventually().until(() -> a.stats().received() > received);
			assertThat(a.cache("users").estimatedL1Size()).as("A's L1 of the cleared cache").isZero();
			assertThat(a.l1("users", "k")).isSameAs(ABSENT);
			assertThat(a.l1("users", "k2")).isSameAs(ABSENT);
			assertThat(a.l1("orders", "o")).as("another cache is not touched").isEqualTo("order");
			assertThat(a.cache("users").get("k2")).as("cleared in Redis too").isNull();
		});
	}

	@Test
	void anInstanceIgnoresItsOwnMessages() {
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			long aFlushes = a.allFlushes();
			long bFlushes = b.allFlushes();
			TieredCache users = a.cache("users");
			long sentBefore = a.stats().sent();
			users.put("k", "mine");
			users.putIfAbsent("p", "mine too");
			assertThat(a.stats().sent()).as("A published its writes").isEqualTo(sentBefore + 2);
			// Pub/sub keeps the order of one channel: once A has applied B's later
			// message it has
			// seen (and skipped) its own.
			b.cache("other").put("marker", "m");
			eventually().until(() -> a.stats().received() >= 1);
			assertThat(a.stats().received()).as("only B's message is applied by A").isEqualTo(1);
			assertThat(a.l1("users", "k")).as("A keeps its own write").isEqualTo("mine");
			assertThat(a.l1("users", "p")).isEqualTo("mine too");
			// B applies messages on its own thread: wait for it, then check it applied
			// exactly two.
			eventually().until(() -> b.stats().received() >= 2);
			assertThat(b.stats().received()).as("B applied A's two messages").isEqualTo(2);
			assertThat(a.allFlushes()).isEqualTo(aFlushes);
			assertThat(b.allFlushes()).isEqualTo(bFlushes);
		});
	}

	@Test
	void bothInstancesConvergeAfterManyAlternatingWrites() {
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			for (int i = 0; i < 200; i++) {
				Instance writer = (i % 2 == 0) ? a : b;
				Instance reader = (i % 2 == 0) ? b : a;
				String key = "k" + (i % 7);
				String value = "v" + i;
				reader.cache("users").get(key);
				writer.cache("users").put(key, value);
				eventually().until(() -> !stale(reader, key, value));
				assertThat(reader.cache("users").get(key).get()).isEqualTo(value);
			}
		});
	}

	private static boolean stale(Instance reader, String key, String expected) {
		Object held = reader.l1("users", key);
		return held != ABSENT && !expected.equals(held);
	}

	/**
	 * Puts on A, waits until B has applied that, then reads on B: both hold the value in
	 * L1.
	 */
	static void bothHold(Instance a, Instance b, String cache, String key, String value) {
		long received = b.stats().received();
		a.cache(cache).put(key, value);
		eventually().until(() -> b.stats().received() > received);
		assertThat(b.cache(cache).get(key).get()).isEqualTo(value);
		assertThat(a.l1(cache, key)).isEqualTo(value);
		assertThat(b.l1(cache, key)).isEqualTo(value);
	}

}
