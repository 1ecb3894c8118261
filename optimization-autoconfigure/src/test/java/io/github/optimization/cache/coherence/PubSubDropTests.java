package io.github.optimization.cache.coherence;

import java.time.Duration;

import io.github.optimization.test.redis.RedisServerExtension;
import io.lettuce.core.KillArgs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.optimization.cache.FlushReason.DISCONNECT;
import static io.github.optimization.cache.FlushReason.RESUBSCRIBE;
import static io.github.optimization.cache.coherence.Instance.ABSENT;
import static io.github.optimization.cache.coherence.TwoInstances.PING_INTERVAL;
import static io.github.optimization.cache.coherence.TwoInstances.RECONNECT_DELAY_MAX;
import static io.github.optimization.cache.coherence.TwoInstances.eventually;
import static io.github.optimization.cache.coherence.TwoInstances.subscribers;
import static io.github.optimization.cache.coherence.TwoInstances.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * F8: the subscriptions are killed by the server ({@code CLIENT KILL TYPE pubsub}) while
 * the other instance updates a key. Lost invalidations are assumed, so the instance drops
 * its in-process entries when the subscription drops and again when it is back, and never
 * serves the old value after that.
 */
class PubSubDropTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	/**
	 * The longest A may serve the old value once the server accepts its subscription
	 * again.
	 */
	private static final Duration STALE_BOUND = RECONNECT_DELAY_MAX.plus(PING_INTERVAL).plusSeconds(1);

	private final ApplicationContextRunner runner = TwoInstances.runner(redis);

	@BeforeEach
	void emptyRedis() {
		redis.flushAll();
		redis.admin().configSet("maxclients", "10000");
	}

	@Test
	void aNeverServesAValueChangedWhileItsSubscriptionWasDown() {
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			BasicCoherenceTests.bothHold(a, b, "users", "k", "v1");
			long disconnects = a.flushes(DISCONNECT);
			long resubscribes = a.flushes(RESUBSCRIBE);
			// Keep the killed subscriptions from coming back until B has written: the
			// server
			// refuses every new connection while the existing ones (data, admin) keep
			// working.
			redis.admin().configSet("maxclients", String.valueOf(connectedClients() - 2));
			try {
				assertThat(redis.admin().clientKill(KillArgs.Builder.typePubsub())).isEqualTo(2);
				eventually().until(() -> a.flushes(DISCONNECT) > disconnects);
				assertThat(a.l1("users", "k")).as("dropped when the subscription dropped").isSameAs(ABSENT);

				// While unsubscribed A reads k again, then B changes it: nobody hears
				// about it.
				assertThat(a.cache("users").get("k").get()).isEqualTo("v1");
				b.cache("users").put("k", "v2");
				assertThat(subscribers(redis)).isZero();
				assertThat(a.l1("users", "k")).as("stale while the subscription is down").isEqualTo("v1");
			}
			finally {
				redis.admin().configSet("maxclients", "10000");
			}
			long restored = System.nanoTime();
			// The manager counts a flush just before it drops the entries: wait for both.
			within(STALE_BOUND).until(() -> a.flushes(RESUBSCRIBE) > resubscribes && a.l1("users", "k") == ABSENT);
			assertThat(a.cache("users").get("k").get()).as("after the re-subscription A reads B's value")
				.isEqualTo("v2");
			assertThat(Duration.ofNanos(System.nanoTime() - restored)).as("staleness after the server accepts again")
				.isLessThan(STALE_BOUND);

			TwoInstances.awaitSubscribed(redis, a, b);
			assertOneSubscriptionEach(a, b);
			BasicCoherenceTests.bothHold(b, a, "users", "k", "v3");
		});
	}

	@Test
	void repeatedKillsNeitherLoseInvalidationsNorPileUpSubscriptions() {
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			for (int round = 0; round < 8; round++) {
				String old = "old" + round;
				String fresh = "new" + round;
				BasicCoherenceTests.bothHold(a, b, "users", "k", old);
				long resubscribes = a.flushes(RESUBSCRIBE);
				assertThat(redis.admin().clientKill(KillArgs.Builder.typePubsub())).isEqualTo(2);
				b.cache("users").put("k", fresh);
				within(STALE_BOUND)
					.until(() -> a.flushes(RESUBSCRIBE) > resubscribes && !old.equals(a.l1("users", "k")));
				assertThat(a.cache("users").get("k").get()).isEqualTo(fresh);
				TwoInstances.awaitSubscribed(redis, a, b);
			}
			assertOneSubscriptionEach(a, b);
		});
	}

	/** Each instance has one subscriber connection, also a few ping intervals later. */
	private static void assertOneSubscriptionEach(Instance a, Instance b) {
		for (int i = 0; i < 5; i++) {
			long before = a.bus().statistics().sent();
			// A round trip through both buses takes at least one watchdog tick of each.
			BasicCoherenceTests.bothHold(a, b, "probe", "p" + i, "x");
			assertThat(a.bus().statistics().sent()).isGreaterThan(before);
			assertThat(subscribers(redis)).as("subscriber connections on the channel").isEqualTo(2);
			assertThat(pubSubClients()).as("pub/sub clients at the server").isEqualTo(2);
		}
	}

	static long connectedClients() {
		return redis.admin().clientList().lines().filter((line) -> !line.isBlank()).count();
	}

	static long pubSubClients() {
		return redis.admin()
			.clientList()
			.lines()
			.filter((line) -> line.contains(" sub=") && !line.contains(" sub=0 "))
			.count();
	}

}
