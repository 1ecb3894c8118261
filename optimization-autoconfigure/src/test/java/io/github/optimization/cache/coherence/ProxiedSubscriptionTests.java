package io.github.optimization.cache.coherence;

import java.io.IOException;
import java.time.Duration;

import io.github.optimization.cache.L2Guard;
import io.github.optimization.cache.L2Store;
import io.github.optimization.cache.redis.RedisInvalidationBus;
import io.github.optimization.cache.redis.TieredCacheRedisConnection;
import io.github.optimization.test.redis.RedisServerExtension;
import io.github.optimization.test.redis.TcpProxy;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static io.github.optimization.cache.FlushReason.WATCHDOG;
import static io.github.optimization.cache.coherence.TwoInstances.PING_INTERVAL;
import static io.github.optimization.cache.coherence.TwoInstances.PONG_TIMEOUT;
import static io.github.optimization.cache.coherence.TwoInstances.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A's subscription, and only it, goes through a {@link TcpProxy}; its data connection and
 * B go to Redis directly. The bus is wired like the auto-configuration wires it, with a
 * Lettuce client of its own pointing at the proxy (no hook in the product code).
 * <ul>
 * <li>F9: the subscriber socket goes silent while the socket stays open. The PING
 * watchdog notices within the ping interval plus the pong timeout, flushes and subscribes
 * again.</li>
 * <li>The first subscription completes late (the proxy holds it): what A cached before it
 * must not outlive it, since invalidations published meanwhile never reached A.</li>
 * </ul>
 */
class ProxiedSubscriptionTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	/** Watchdog detection plus a generous allowance for a busy 2-core machine. */
	private static final Duration STALE_BOUND = PING_INTERVAL.plus(PONG_TIMEOUT).plusSeconds(1);

	private final ApplicationContextRunner runner = TwoInstances.runner(redis);

	private TcpProxy proxy;

	@BeforeEach
	void startProxy() throws IOException {
		redis.flushAll();
		this.proxy = new TcpProxy(redis.host(), redis.port());
	}

	@AfterEach
	void stopProxy() {
		this.proxy.close();
	}

	private ApplicationContextRunner subscribingThroughTheProxy() {
		return this.runner.withPropertyValues("test.subscription-port=" + this.proxy.port())
			.withUserConfiguration(SubscriptionThroughProxy.class);
	}

	@Test
	void aSilentlyDeadSubscriptionIsFoundByPingFlushedAndReplaced() {
		TwoInstances.run(subscribingThroughTheProxy(), this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			assertThat(this.proxy.openLinks()).as("A's subscription goes through the proxy").isOne();
			BasicCoherenceTests.bothHold(b, a, "users", "k", "v1");
			long watchdogFlushes = a.flushes(WATCHDOG);

			this.proxy.freezeExisting();
			long frozenAt = System.nanoTime();
			b.cache("users").put("k", "v2");
			assertThat(a.l1("users", "k")).as("stale: B's message cannot reach A").isEqualTo("v1");

			within(STALE_BOUND).until(() -> a.flushes(WATCHDOG) > watchdogFlushes && !"v1".equals(a.l1("users", "k")));
			Duration stale = Duration.ofNanos(System.nanoTime() - frozenAt);
			assertThat(a.cache("users").get("k").get()).isEqualTo("v2");
			assertThat(stale).as("staleness after the socket went silent").isLessThan(STALE_BOUND);

			// A subscribed again through a new link; the frozen one is closed on both
			// sides.
			TwoInstances.awaitSubscribed(redis, a, b);
			assertThat(this.proxy.openLinks()).isOne();
			BasicCoherenceTests.bothHold(b, a, "users", "k", "v3");
		});
	}

	@Test
	void whatWasCachedBeforeTheFirstSubscriptionDoesNotOutliveIt() {
		this.runner.run((contextB) -> {
			Instance b = new Instance("B", contextB);
			TwoInstances.awaitSubscribed(redis, b);
			b.cache("users").put("k", "v1");
			this.proxy.holdNewConnections();
			subscribingThroughTheProxy().run((contextA) -> {
				Instance a = new Instance("A", contextA);
				within(Duration.ofSeconds(10)).until(() -> this.proxy.heldLinks() == 1);
				assertThat(a.bus().isSubscribed()).isFalse();
				// A is up and serving, but not subscribed yet: it caches k, then B
				// changes it.
				assertThat(a.cache("users").get("k").get()).isEqualTo("v1");
				b.cache("users").put("k", "v2");
				assertThat(a.l1("users", "k")).isEqualTo("v1");

				this.proxy.releaseHeld();
				TwoInstances.awaitSubscribed(redis, a, b);
				within(STALE_BOUND).until(() -> !"v1".equals(a.l1("users", "k")));
				assertThat(a.cache("users").get("k").get()).isEqualTo("v2");
				BasicCoherenceTests.bothHold(b, a, "users", "k", "v3");
			});
		});
	}

	/**
	 * The invalidation bus as the auto-configuration builds it, except that it subscribes
	 * through the proxy: see {@link ProxiedSubscription}.
	 */
	@Configuration(proxyBeanMethods = false)
	static class SubscriptionThroughProxy {

		@Bean(destroyMethod = "shutdown")
		RedisClient subscriptionClient(Environment environment) {
			return ProxiedSubscription.client(ProxiedSubscription.uri(redis.host(), environment));
		}

		@Bean(destroyMethod = "close")
		RedisInvalidationBus tieredCacheInvalidationBus(RedisClient subscriptionClient, L2Store store, L2Guard guard,
				TieredCacheRedisConnection connection) {
			return ProxiedSubscription.bus(subscriptionClient, PONG_TIMEOUT, store, guard, connection);
		}

	}

}
