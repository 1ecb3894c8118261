package io.github.optimization.cache.coherence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.cache.FlushReason;
import io.github.optimization.cache.InvalidationHandler;
import io.github.optimization.cache.L2Guard;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.L2Store;
import io.github.optimization.cache.redis.RedisInvalidationBus;
import io.github.optimization.cache.redis.TieredCacheRedisConnection;
import io.github.optimization.test.redis.RedisServerExtension;
import io.github.optimization.test.redis.TcpProxy;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static io.github.optimization.cache.FlushReason.DISCONNECT;
import static io.github.optimization.cache.FlushReason.OVERFLOW;
import static io.github.optimization.cache.FlushReason.RESUBSCRIBE;
import static io.github.optimization.cache.FlushReason.WATCHDOG;
import static io.github.optimization.cache.coherence.Instance.ABSENT;
import static io.github.optimization.cache.coherence.TwoInstances.CHANNEL;
import static io.github.optimization.cache.coherence.TwoInstances.PING_INTERVAL;
import static io.github.optimization.cache.coherence.TwoInstances.PONG_TIMEOUT;
import static io.github.optimization.cache.coherence.TwoInstances.RECONNECT_DELAY_MAX;
import static io.github.optimization.cache.coherence.TwoInstances.eventually;
import static io.github.optimization.cache.coherence.TwoInstances.subscribers;
import static io.github.optimization.cache.coherence.TwoInstances.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * F10: a subscriber that falls behind. The server's limit for pub/sub clients is lowered
 * to 1 KB ({@code client-output-buffer-limit pubsub 1kb 1kb 0}) and a burst of valid
 * invalidations is published from the harness's connection.
 * <ul>
 * <li>When A stops reading its subscription socket (a proxy in front of that connection
 * only stops reading from the server), the server drops A's subscription. A then behaves
 * as for any dropped subscription (F8): it drops its L1 when the connection closes and
 * again when it has subscribed again, and a value B changed meanwhile is not served by A
 * afterwards.</li>
 * <li>When A's invalidation handling is slow, the client still reads its socket, because
 * the bus applies messages on a thread of its own through a bounded queue: the server
 * keeps A subscribed, A's Redis calls keep completing, the messages that do not fit into
 * the queue are counted and cause one L1 flush ({@code overflow}).</li>
 * </ul>
 */
@Tag("fault")
class SlowSubscriberTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	/** How many invalidations the burst to a slow handler publishes. */
	private static final int BURST = 10_000;

	/**
	 * How many invalidations are published at most to a subscriber that does not read.
	 * The server's kernel takes a few MB into its socket buffer for a client on loopback
	 * before anything stays in Redis's output buffer (about 7 000 messages of 330 bytes
	 * on the development machine), so the 10 000 of RELIABILITY.md leave too little
	 * margin here.
	 */
	private static final int MAX_UNREAD_BURST = 50_000;

	/** A's invalidation queue in the slow-handler case, well below the burst. */
	private static final int QUEUE_CAPACITY = 1_000;

	/** The server's default limit for pub/sub clients (redis.conf). */
	private static final String DEFAULT_PUBSUB_LIMIT = "pubsub 33554432 8388608 60";

	/** The name A's subscription connection gives itself, to find it in CLIENT LIST. */
	private static final String A_SUBSCRIPTION = "a-subscription";

	/**
	 * The pong timeout of A's proxied subscription: longer than the test needs, so that
	 * the server, not A's PING watchdog, is what drops the stalled subscription.
	 */
	private static final Duration A_PONG_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * The longest A may serve the old value once its subscription can be re-established.
	 */
	private static final Duration STALE_BOUND = RECONNECT_DELAY_MAX.plus(PING_INTERVAL).plusSeconds(1);

	private final ApplicationContextRunner runner = TwoInstances.runner(redis);

	private TcpProxy proxy;

	@BeforeEach
	void startProxy() throws IOException {
		redis.flushAll();
		redis.admin().configSet("client-output-buffer-limit", DEFAULT_PUBSUB_LIMIT);
		this.proxy = new TcpProxy(redis.host(), redis.port(), 4096);
	}

	@AfterEach
	void stopProxy() {
		redis.admin().configSet("client-output-buffer-limit", DEFAULT_PUBSUB_LIMIT);
		this.proxy.close();
	}

	@Test
	void aSubscriberThatStopsReadingIsDroppedByTheServerAndDoesNotServeWhatChangedMeanwhile() {
		ApplicationContextRunner subscribingThroughTheProxy = this.runner
			.withPropertyValues("test.subscription-port=" + this.proxy.port())
			.withUserConfiguration(SubscriptionThroughProxy.class);
		TwoInstances.run(subscribingThroughTheProxy, this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			assertThat(this.proxy.openLinks()).as("A's subscription goes through the proxy").isOne();
			assertThat(clientNamed(A_SUBSCRIPTION)).as("A's subscription at the server").isTrue();
			HandlerThreads threads = HandlerThreads.around(a);
			BasicCoherenceTests.bothHold(b, a, "users", "k", "v1");
			long disconnects = a.flushes(DISCONNECT);
			long resubscribes = a.flushes(RESUBSCRIBE);
			long watchdogFlushes = a.flushes(WATCHDOG);

			// A stops reading; a burst goes out until the server has dropped A's
			// subscription.
			// Reconnections wait at the proxy until B has changed k.
			this.proxy.holdNewConnections();
			this.proxy.stallExisting();
			int published = 0;
			long receivers = 2;
			redis.admin().configSet("client-output-buffer-limit", "pubsub 1kb 1kb 0");
			try {
				// Valid messages, as large as a valid one gets (a long cache name A does
				// not have).
				String cacheName = "burst-" + "x".repeat(240);
				while (receivers == 2 && published < MAX_UNREAD_BURST) {
					receivers = redis.adminBytes().publish(CHANNEL.getBytes(StandardCharsets.UTF_8), evict(cacheName));
					published++;
				}
				report("the server dropped A's subscription after " + published + " messages of "
						+ evict(cacheName).length + " bytes that A did not read");
				assertThat(receivers).as("receivers of the last message: B only").isOne();
				assertThat(clientNamed(A_SUBSCRIPTION)).as("A's subscription at the server").isFalse();
				assertThat(this.proxy.openLinks()).as("A's end of it, still open: the server dropped it, not A")
					.isOne();
				assertThat(b.bus().isSubscribed()).as("B, which reads, is still subscribed").isTrue();
			}
			finally {
				redis.admin().configSet("client-output-buffer-limit", DEFAULT_PUBSUB_LIMIT);
			}

			// A reads again: what piled up, then the close. It drops its L1.
			this.proxy.resumeStalled();
			eventually().until(() -> a.flushes(DISCONNECT) > disconnects);
			assertThat(a.l1("users", "k")).as("dropped when the subscription dropped").isSameAs(ABSENT);

			// While A cannot subscribe, it reads k again, then B changes k: A does not
			// hear of it.
			assertThat(a.cache("users").get("k").get()).isEqualTo("v1");
			b.cache("users").put("k", "v2");
			assertThat(subscribers(redis)).as("subscribers: B only").isOne();
			assertThat(a.l1("users", "k")).as("stale while unsubscribed").isEqualTo("v1");

			this.proxy.releaseHeld();
			long released = System.nanoTime();
			within(STALE_BOUND).until(() -> a.flushes(RESUBSCRIBE) > resubscribes && a.l1("users", "k") == ABSENT);
			Duration stale = Duration.ofNanos(System.nanoTime() - released);
			assertThat(a.cache("users").get("k").get()).as("A reads B's value").isEqualTo("v2");
			report("A dropped its L1 on disconnect and on resubscribe; it served the old value for " + stale.toMillis()
					+ " ms after it could subscribe again");
			assertThat(stale).isLessThan(STALE_BOUND);
			assertThat(a.flushes(WATCHDOG)).as("found by the server's drop, not by A's PING")
				.isEqualTo(watchdogFlushes);

			TwoInstances.awaitSubscribed(redis, a, b);
			BasicCoherenceTests.bothHold(b, a, "users", "k", "v3");
			threads.assertNoneOnLettuceThreads();
		});
	}

	@Test
	void aSlowInvalidationHandlerNeitherStopsTheClientReadingNorGetsTheSubscriptionDropped() {
		ApplicationContextRunner smallQueue = this.runner
			.withPropertyValues("optimization.cache.invalidation.queue-capacity=" + QUEUE_CAPACITY);
		TwoInstances.run(smallQueue, this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			BasicCoherenceTests.bothHold(b, a, "users", "k", "v1");
			long receivedBefore = a.stats().received();
			for (int i = 0; i < 200; i++) {
				b.cache("users").put("l2-" + i, "from-b-" + i);
			}
			b.cache("users").put("late", "late-v1");
			eventually().until(() -> a.stats().received() >= receivedBefore + 201);
			long overflows = a.flushes(OVERFLOW);
			long subscriptionFlushes = a.flushes(DISCONNECT, RESUBSCRIBE, WATCHDOG);
			long received = a.stats().received();
			long droppedBefore = a.stats().dropped("overflow");

			// A's handler blocks on the first message of the burst.
			CountDownLatch release = new CountDownLatch(1);
			HandlerThreads threads = HandlerThreads.around(a, release);
			redis.admin().configSet("client-output-buffer-limit", "pubsub 1kb 1kb 0");
			long[] receivers = new long[BURST];
			long burstStart = System.nanoTime();
			try {
				for (int i = 0; i < BURST; i++) {
					receivers[i] = redis.adminBytes().publish(CHANNEL.getBytes(StandardCharsets.UTF_8), evict("users"));
				}
				eventually().until(() -> threads.blocked.get() == 1);
				eventually().until(() -> a.stats().dropped("overflow") - droppedBefore >= BURST - QUEUE_CAPACITY - 1);
				long dropped = a.stats().dropped("overflow") - droppedBefore;
				report("burst of " + BURST + " with A's handler blocked: A's client read them all (" + dropped
						+ " beyond the queue of " + QUEUE_CAPACITY + " dropped and counted), every PUBLISH reached "
						+ Arrays.stream(receivers).min().getAsLong() + " subscribers");
				assertThat(receivers).as("receivers of each message: A was never dropped").containsOnly(2L);

				// Still overflowing: A caches a key, B changes it, and A drops B's
				// message too. A
				// flush after that drop must follow, within a ping interval.
				assertThat(a.cache("users").get("late").get()).isEqualTo("late-v1");
				b.cache("users").put("late", "late-v2");
				eventually().until(() -> a.stats().dropped("overflow") - droppedBefore == dropped + 1);
				within(PING_INTERVAL.plus(PONG_TIMEOUT).plusSeconds(1))
					.until(() -> !"late-v1".equals(a.l1("users", "late")));
				assertThat(a.cache("users").get("late").get()).isEqualTo("late-v2");
				assertThat(subscribers(redis)).isEqualTo(2);
				assertThat(a.bus().isSubscribed()).isTrue();

				// The subscription's own PING (every ping interval, within the pong
				// timeout) keeps
				// being answered on the same connection while the handler is blocked.
				long watchdogFlushes = a.flushes(WATCHDOG);
				await().during(PONG_TIMEOUT.plus(PING_INTERVAL.multipliedBy(2)))
					.atMost(PONG_TIMEOUT.plusSeconds(3))
					.until(() -> a.flushes(WATCHDOG) == watchdogFlushes && a.bus().isSubscribed());
				assertThat(threads.blocked.get()).as("the handler is still blocked").isOne();

				// A's Redis calls go on.
				TieredCache users = a.cache("users");
				long l2Hits = users.getStatistics().l2Hits();
				for (int i = 0; i < 200; i++) {
					assertThat(users.get("l2-" + i).get()).isEqualTo("from-b-" + i);
				}
				assertThat(users.getStatistics().l2Hits() - l2Hits).as("values A read from Redis").isEqualTo(200);
				assertThat(a.l1("users", "k")).as("dropped on overflow").isSameAs(ABSENT);

				// Thousands of drops, a handful of flushes: at once, then at most one per
				// ping
				// interval while drops go on.
				long flushes = a.flushes(OVERFLOW) - overflows;
				long elapsed = System.nanoTime() - burstStart;
				report(flushes + " overflow flushes for " + (dropped + 1) + " dropped messages in "
						+ Duration.ofNanos(elapsed).toMillis() + " ms (ping interval " + PING_INTERVAL.toMillis()
						+ " ms)");
				assertThat(flushes).isBetween(1L, 2 + elapsed / PING_INTERVAL.toNanos());
				assertThat(threads.blocked.get()).as("messages that reached the blocked handler").isOne();
			}
			finally {
				redis.admin().configSet("client-output-buffer-limit", DEFAULT_PUBSUB_LIMIT);
				release.countDown();
			}

			// Released: the queue drains; every message was either applied or counted.
			eventually().until(
					() -> a.stats().received() - received + a.stats().dropped("overflow") - droppedBefore >= BURST + 1);
			assertThat(a.stats().received() - received + a.stats().dropped("overflow") - droppedBefore)
				.isEqualTo(BURST + 1);
			assertThat(a.flushes(DISCONNECT, RESUBSCRIBE, WATCHDOG)).as("the subscription never dropped")
				.isEqualTo(subscriptionFlushes);
			BasicCoherenceTests.bothHold(b, a, "users", "k", "v2");
			threads.assertNoneOnLettuceThreads();
			assertThat(threads.names()).contains("optimization-cache-invalidation");
		});
	}

	/**
	 * A valid eviction of a random key of a cache, from a sender that is neither A nor B.
	 */
	private static byte[] evict(String cacheName) {
		byte[] digest = new byte[16];
		ThreadLocalRandom.current().nextBytes(digest);
		return ("{\"v\":1,\"src\":\"burst-sender\",\"op\":\"evict\",\"cache\":\"" + cacheName + "\",\"key\":\""
				+ HexFormat.of().formatHex(digest) + "\"}")
			.getBytes(StandardCharsets.UTF_8);
	}

	private static boolean clientNamed(String name) {
		return redis.admin().clientList().lines().anyMatch((line) -> line.contains(" name=" + name + " "));
	}

	private static void report(String line) {
		System.out.println("[fault] " + line);
	}

	/**
	 * Wraps an instance's invalidation handler (its cache manager) to note on which
	 * threads the bus calls it and, optionally, to block message handling until released.
	 */
	static final class HandlerThreads implements InvalidationHandler {

		private final InvalidationHandler target;

		private final CountDownLatch release;

		private final Set<String> names = ConcurrentHashMap.newKeySet();

		final AtomicInteger blocked = new AtomicInteger();

		private HandlerThreads(InvalidationHandler target, CountDownLatch release) {
			this.target = target;
			this.release = release;
		}

		static HandlerThreads around(Instance instance) {
			return around(instance, new CountDownLatch(0));
		}

		static HandlerThreads around(Instance instance, CountDownLatch release) {
			HandlerThreads handler = new HandlerThreads(instance.manager(), release);
			instance.bus().attach(handler);
			return handler;
		}

		Set<String> names() {
			return Set.copyOf(this.names);
		}

		void assertNoneOnLettuceThreads() {
			assertThat(this.names).isNotEmpty()
				.allSatisfy((name) -> assertThat(name).startsWith("optimization-cache-")
					.doesNotContainIgnoringCase("lettuce")
					.doesNotContainIgnoringCase("eventloop"));
		}

		private void note() {
			this.names.add(Thread.currentThread().getName());
		}

		private void slow() {
			if (this.release.getCount() == 0) {
				return;
			}
			this.blocked.incrementAndGet();
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public boolean keyInvalidated(String cacheName, String keyDigest) {
			note();
			slow();
			return this.target.keyInvalidated(cacheName, keyDigest);
		}

		@Override
		public boolean cacheInvalidated(String cacheName) {
			note();
			slow();
			return this.target.cacheInvalidated(cacheName);
		}

		@Override
		public void flushAll(FlushReason reason) {
			note();
			this.target.flushAll(reason);
		}

		@Override
		public boolean repairL2() {
			return this.target.repairL2();
		}

		@Override
		public boolean hasPendingRepairs() {
			return this.target.hasPendingRepairs();
		}

	}

	/**
	 * The invalidation bus as the auto-configuration builds it, except that it subscribes
	 * through the proxy (see {@link ProxiedSubscription}) under a name, and waits
	 * {@link #A_PONG_TIMEOUT} for a PING.
	 */
	@Configuration(proxyBeanMethods = false)
	static class SubscriptionThroughProxy {

		@Bean(destroyMethod = "shutdown")
		RedisClient subscriptionClient(Environment environment) {
			return ProxiedSubscription
				.client(ProxiedSubscription.uri(redis.host(), environment).withClientName(A_SUBSCRIPTION));
		}

		@Bean(destroyMethod = "close")
		RedisInvalidationBus tieredCacheInvalidationBus(RedisClient subscriptionClient, L2Store store, L2Guard guard,
				TieredCacheRedisConnection connection) {
			return ProxiedSubscription.bus(subscriptionClient, A_PONG_TIMEOUT, store, guard, connection);
		}

	}

}
