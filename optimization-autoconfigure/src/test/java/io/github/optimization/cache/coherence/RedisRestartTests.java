package io.github.optimization.cache.coherence;

import java.time.Duration;

import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.optimization.cache.FlushReason.DISCONNECT;
import static io.github.optimization.cache.FlushReason.RESUBSCRIBE;
import static io.github.optimization.cache.FlushReason.RUN_ID;
import static io.github.optimization.cache.coherence.Instance.ABSENT;
import static io.github.optimization.cache.coherence.TwoInstances.eventually;
import static io.github.optimization.cache.coherence.TwoInstances.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * F7: Redis restarts empty on the same port (new {@code run_id}). Every in-process entry
 * of both instances written before the restart is dropped, so none is served afterwards.
 */
class RedisRestartTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	/** Reconnection (capped at 200 ms between attempts) plus a few watchdog ticks. */
	private static final Duration RECOVERY = Duration.ofSeconds(5);

	private final ApplicationContextRunner runner = TwoInstances.runner(redis);

	@BeforeEach
	void emptyRedis() {
		redis.flushAll();
	}

	@Test
	void everyInProcessEntryIsDroppedWhenRedisRestartsEmpty() {
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			BasicCoherenceTests.bothHold(a, b, "users", "k", "v1");
			BasicCoherenceTests.bothHold(b, a, "orders", "o", "o1");
			long aFlushes = a.flushes(DISCONNECT, RESUBSCRIBE);
			long bFlushes = b.flushes(DISCONNECT, RESUBSCRIBE);
			long aRunId = a.flushes(RUN_ID);
			long bRunId = b.flushes(RUN_ID);
			String runId = redis.runId();

			redis.restart();
			assertThat(redis.runId()).isNotEqualTo(runId);

			within(RECOVERY).untilAsserted(() -> {
				assertThat(a.flushes(DISCONNECT, RESUBSCRIBE)).isGreaterThan(aFlushes);
				assertThat(b.flushes(DISCONNECT, RESUBSCRIBE)).isGreaterThan(bFlushes);
				assertThat(a.flushes(RUN_ID)).as("A saw the new run_id").isGreaterThan(aRunId);
				assertThat(b.flushes(RUN_ID)).as("B saw the new run_id").isGreaterThan(bRunId);
				for (Instance instance : new Instance[] { a, b }) {
					assertThat(instance.l1("users", "k")).as("%s users/k", instance).isSameAs(ABSENT);
					assertThat(instance.l1("orders", "o")).as("%s orders/o", instance).isSameAs(ABSENT);
				}
			});
			assertThat(a.cache("users").get("k")).as("nothing survived, in Redis or in A").isNull();
			assertThat(b.cache("orders").get("o")).as("nothing survived, in Redis or in B").isNull();

			TwoInstances.awaitSubscribed(redis, a, b);
			BasicCoherenceTests.bothHold(b, a, "users", "k", "v2");
			BasicCoherenceTests.bothHold(a, b, "orders", "o", "o2");
		});
	}

	@Test
	void aWriteMadeWhileRedisWasDownIsNotHiddenByAnOldInProcessEntry() {
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			BasicCoherenceTests.bothHold(a, b, "users", "k", "v1");
			long aFlushes = a.allFlushes();
			long bFailures = b.stats().publishFailures();
			long bSent = b.stats().sent();

			redis.kill();
			// The manager counts a flush just before it drops the entries: wait for both.
			eventually().until(() -> a.allFlushes() > aFlushes && a.l1("users", "k") == ABSENT);
			// B changes k while Redis is down: neither Redis nor A hears about it.
			b.cache("users").put("k", "v2");
			assertThat(b.stats().publishFailures()).isGreaterThan(bFailures);
			assertThat(b.l1("users", "k")).as("B keeps its own write").isEqualTo("v2");
			assertThat(a.cache("users").get("k")).as("A has nothing but Redis, which is down").isNull();

			redis.restart();
			TwoInstances.awaitSubscribed(redis, a, b);
			within(RECOVERY).until(() -> b.stats().sent() > bSent);
			assertThat(a.cache("users").get("k", () -> "from the database")).as("A never serves v1 again")
				.isEqualTo("from the database");
		});
	}

}
