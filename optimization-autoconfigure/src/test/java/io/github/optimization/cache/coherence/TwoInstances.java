package io.github.optimization.cache.coherence;

import java.time.Duration;

import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.test.BootAutoConfigurations;
import io.github.optimization.test.redis.RedisServerExtension;
import org.awaitility.core.ConditionFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application contexts, A and B, in one JVM, sharing one test Redis: what the
 * coherence tests run against. Each context has its own cache manager, Lettuce clients
 * and invalidation bus, exactly as two deployed instances would.
 */
final class TwoInstances {

	/** The invalidation channel for the default key prefix {@code opt:}. */
	static final String CHANNEL = "opt:invalidations";

	/** How often the bus checks its subscription in these tests. */
	static final Duration PING_INTERVAL = Duration.ofMillis(200);

	/** How long a PING on the subscription may take before it is deemed dead. */
	static final Duration PONG_TIMEOUT = Duration.ofSeconds(1);

	/** The longest Lettuce waits between two reconnection attempts in these tests. */
	static final Duration RECONNECT_DELAY_MAX = Duration.ofMillis(200);

	private TwoInstances() {
	}

	/**
	 * A runner with the Redis and tiered-cache auto-configurations pointing at the
	 * server, short invalidation timings, and a command timeout generous enough for a
	 * busy 2-core machine.
	 */
	static ApplicationContextRunner runner(RedisServerExtension redis) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.REDIS, TieredCacheAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"optimization.cache.invalidation.ping-interval=" + PING_INTERVAL.toMillis() + "ms",
					"optimization.cache.invalidation.pong-timeout=" + PONG_TIMEOUT.toMillis() + "ms",
					"optimization.cache.redis.reconnect-delay-max=" + RECONNECT_DELAY_MAX.toMillis() + "ms",
					"optimization.cache.redis.command-timeout=1s");
	}

	/** Runs the body with two contexts from the same runner. */
	static void run(ApplicationContextRunner runner, Body body) {
		run(runner, runner, body);
	}

	/** Runs the body with context A from one runner and context B from another. */
	static void run(ApplicationContextRunner runnerA, ApplicationContextRunner runnerB, Body body) {
		runnerA.run((contextA) -> {
			assertThat(contextA).hasNotFailed();
			runnerB.run((contextB) -> {
				assertThat(contextB).hasNotFailed();
				body.run(new Instance("A", contextA), new Instance("B", contextB));
			});
		});
	}

	/**
	 * Awaitility polling every few milliseconds from the start, so that waiting for a
	 * message costs about the message's latency, with the given upper bound.
	 */
	static ConditionFactory within(Duration atMost) {
		return await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
	}

	/** {@link #within(Duration)} five seconds: the bound for a message to be applied. */
	static ConditionFactory eventually() {
		return within(Duration.ofSeconds(5));
	}

	/**
	 * Waits until every instance's bus reports its subscription (which it does once it
	 * has dropped what was cached before) and the server counts exactly that many
	 * subscribers on the channel.
	 */
	static void awaitSubscribed(RedisServerExtension redis, Instance... instances) {
		within(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(instances).allSatisfy(
					(instance) -> assertThat(instance.bus().isSubscribed()).as("%s's bus is subscribed", instance)
						.isTrue());
			assertThat(subscribers(redis)).as("subscriber connections on the channel").isEqualTo(instances.length);
		});
	}

	/** How many connections the server has subscribed to the channel. */
	static long subscribers(RedisServerExtension redis) {
		return redis.admin().pubsubNumsub(CHANNEL).getOrDefault(CHANNEL, 0L);
	}

	/** The test body. */
	@FunctionalInterface
	interface Body {

		void run(Instance a, Instance b) throws Throwable;

	}

}
