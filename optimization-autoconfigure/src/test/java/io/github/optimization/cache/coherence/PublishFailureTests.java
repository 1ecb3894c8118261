package io.github.optimization.cache.coherence;

import java.time.Duration;

import io.github.optimization.cache.ForwardingL2Store;
import io.github.optimization.cache.L2Store;
import io.github.optimization.cache.redis.RedisL2Store;
import io.github.optimization.cache.redis.TieredCacheRedisConnection;
import io.github.optimization.resilience.CircuitBreakerL2Guard;
import io.github.optimization.test.redis.RedisServerExtension;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.util.StringUtils;

import static io.github.optimization.cache.FlushReason.PEER;
import static io.github.optimization.cache.coherence.Instance.ABSENT;
import static io.github.optimization.cache.coherence.TwoInstances.PING_INTERVAL;
import static io.github.optimization.cache.coherence.TwoInstances.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * F12: the writer cannot publish (breaker open, or Redis frozen). Its own in-process
 * entry goes at once, the failure is counted and logged once per outage, and once
 * publishing works again it asks its peers to flush, so they drop what they may have
 * missed.
 */
@ExtendWith(OutputCaptureExtension.class)
class PublishFailureTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final String PUBLISH_FAILED = "Could not publish a cache invalidation";

	/**
	 * A few watchdog ticks: the pending flush goes out on the first tick that can
	 * publish.
	 */
	private static final Duration FLUSH_BOUND = PING_INTERVAL.multipliedBy(5).plusSeconds(1);

	private final ApplicationContextRunner runner = TwoInstances.runner(redis);

	@BeforeEach
	void emptyRedis() {
		redis.flushAll();
	}

	@Test
	void withTheBreakerOpenTheWriterDropsItsEntryAndPeersFlushOnceItCloses(CapturedOutput output) {
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			BasicCoherenceTests.bothHold(a, b, "users", "k", "v1");
			BasicCoherenceTests.bothHold(a, b, "users", "k2", "w1");
			CircuitBreaker breaker = a.context().getBean(CircuitBreakerL2Guard.class).getCircuitBreaker();
			long failures = a.stats().publishFailures();
			long sent = a.stats().sent();
			long peerFlushes = b.flushes(PEER);

			breaker.transitionToForcedOpenState();
			a.cache("users").evict("k");
			assertThat(a.l1("users", "k")).as("A's own entry goes at once").isSameAs(ABSENT);
			a.cache("users").put("k2", "w2");
			assertThat(a.l1("users", "k2")).as("A serves its own write").isEqualTo("w2");
			a.cache("users").evict("k3");
			assertThat(a.stats().publishFailures()).as("each failed publish is counted").isEqualTo(failures + 3);
			assertThat(a.stats().sent()).isEqualTo(sent);
			assertThat(occurrences(output.getOut(), PUBLISH_FAILED)).as("logged once per outage").isOne();
			assertThat(b.l1("users", "k")).as("B has heard nothing yet").isEqualTo("v1");

			breaker.transitionToClosedState();
			// The manager counts a flush just before it drops the entries: wait for both.
			within(FLUSH_BOUND).until(() -> b.flushes(PEER) > peerFlushes && b.l1("users", "k") == ABSENT);
			assertThat(b.l1("users", "k2")).isSameAs(ABSENT);
			assertThat(b.cache("users").estimatedL1Size()).isZero();
			// Redis was repaired before the flush went out: what A evicted or replaced
			// while the
			// breaker was open is not read back from Redis by B.
			assertThat(b.cache("users").get("k")).as("A's eviction reached Redis after all").isNull();
			assertThat(b.cache("users").get("k2")).as("A's older value is gone from Redis").isNull();
			within(FLUSH_BOUND).untilAsserted(() -> {
				assertThat(a.stats().sent()).as("one flush request").isEqualTo(sent + 1);
				assertThat(output.getOut()).contains("Invalidations are published again");
			});

			// Invalidations flow again, without further flushes.
			BasicCoherenceTests.bothHold(a, b, "users", "k4", "x");
			assertThat(a.stats().sent()).isEqualTo(sent + 2);
			assertThat(b.flushes(PEER)).isEqualTo(peerFlushes + 1);
			assertThat(occurrences(output.getOut(), PUBLISH_FAILED)).isOne();
		});
	}

	@Test
	void withRedisFrozenTheWriterDropsItsEntryAndPeersFlushOnceRedisAnswers() {
		ApplicationContextRunner shortTimeout = this.runner
			.withPropertyValues("optimization.cache.redis.command-timeout=100ms");
		TwoInstances.run(shortTimeout, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			BasicCoherenceTests.bothHold(a, b, "users", "k", "v1");
			long failures = a.stats().publishFailures();
			long peerFlushes = b.flushes(PEER);

			redis.freeze();
			try {
				a.cache("users").evict("k");
				assertThat(a.l1("users", "k")).as("A's own entry goes at once").isSameAs(ABSENT);
				assertThat(a.stats().publishFailures()).isGreaterThan(failures);
			}
			finally {
				redis.resume();
			}
			within(FLUSH_BOUND).until(() -> b.flushes(PEER) > peerFlushes && b.l1("users", "k") == ABSENT);
			assertThat(a.cache("users").get("k", () -> "reloaded")).isNotEqualTo("v1");
		});
	}

	@Test
	void anEvictionWhoseDeleteFailedButWasAnnouncedIsRepairedAndPeersFlush() {
		ApplicationContextRunner failingDelete = this.runner.withUserConfiguration(FailingDeleteConfiguration.class);
		TwoInstances.run(failingDelete, this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			BasicCoherenceTests.bothHold(a, b, "users", "k", "v1");
			long peerFlushes = b.flushes(PEER);
			long received = b.stats().received();

			// A's DEL times out without reaching Redis, but its PUBLISH goes out.
			a.context().getBean(FailingDeleteStore.class).failNextDelete = true;
			a.cache("users").evict("k");
			TwoInstances.eventually().until(() -> b.stats().received() > received);
			assertThat(a.cache("users").get("k")).as("A does not read Redis's older value back").isNull();

			// B has dropped its copy and may read the older value back from Redis
			// meanwhile; A's
			// watchdog repairs Redis and then asks B to flush.
			within(FLUSH_BOUND).until(() -> b.flushes(PEER) > peerFlushes);
			assertThat(b.cache("users").get("k")).as("the eviction reached Redis after all").isNull();
			assertThat(a.manager().hasPendingRepairs()).isFalse();
		});
	}

	/** A's Redis level, whose next DEL can be made to time out without reaching Redis. */
	@Configuration(proxyBeanMethods = false)
	static class FailingDeleteConfiguration {

		@Bean
		FailingDeleteStore failingDeleteStore(TieredCacheRedisConnection connection) {
			return new FailingDeleteStore(new RedisL2Store(connection.getConnectionFactory()));
		}

	}

	static final class FailingDeleteStore extends ForwardingL2Store {

		volatile boolean failNextDelete;

		FailingDeleteStore(L2Store delegate) {
			super(delegate);
		}

		@Override
		public boolean delete(byte[] key) {
			if (this.failNextDelete) {
				this.failNextDelete = false;
				throw new QueryTimeoutException("Redis command timed out (test)");
			}
			return super.delete(key);
		}

	}

	private static int occurrences(String text, String fragment) {
		return StringUtils.countOccurrencesOf(text, fragment);
	}

}
