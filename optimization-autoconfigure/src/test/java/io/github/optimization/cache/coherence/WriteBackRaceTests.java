package io.github.optimization.cache.coherence;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import io.github.optimization.cache.FlushReason;
import io.github.optimization.cache.key.RedisKeyScheme;
import io.github.optimization.test.redis.RedisServerExtension;
import io.github.optimization.test.redis.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.optimization.cache.coherence.Instance.ABSENT;
import static io.github.optimization.cache.coherence.TwoInstances.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * B's loader read the database before A's write; A then changes the database, evicts (DEL
 * in Redis) and publishes; B's write-back of what it loaded lands in Redis after A's DEL,
 * and A's message reaches B only after B's check after the write. Without more, Redis
 * would keep the older value for its TTL and every instance, A included, would serve it.
 * B remembers what it wrote back: when A's message arrives and Redis still holds those
 * bytes, B deletes them and tells the others to drop what they read meanwhile. B's
 * subscription goes through a proxy that the test stalls: it stands for the ordinary
 * delay of a message.
 */
class WriteBackRaceTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final ApplicationContextRunner runner = TwoInstances.runner(redis);

	private TcpProxy proxy;

	@BeforeEach
	void start() throws IOException {
		redis.flushAll();
		this.proxy = new TcpProxy(redis.host(), redis.port());
	}

	@AfterEach
	void stop() {
		this.proxy.close();
	}

	private ApplicationContextRunner bThroughProxy() {
		return this.runner.withPropertyValues("test.subscription-port=" + this.proxy.port())
			.withUserConfiguration(ProxiedSubscriptionTests.SubscriptionThroughProxy.class);
	}

	@Test
	void aWriteBackThatLandedAfterAnotherInstancesEvictionIsUndone() {
		TwoInstances.run(this.runner, bThroughProxy(), (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			AtomicReference<String> database = new AtomicReference<>("v1");
			long received = b.stats().received();
			bWritesBackAfterAsEviction(a, b, database);
			assertThat(a.cache("users").get("k", database::get))
				.as("until B hears of A's eviction, A reads B's write-back (the documented window)")
				.isEqualTo("v1");

			this.proxy.resumeStalled();
			eventually().until(() -> b.stats().received() > received);
			assertThat(b.cache("users").getStatistics().writeBacksUndone()).isOne();
			assertThat(redisHolds("k")).as("B deleted its write-back again").isFalse();
			eventually().until(() -> a.l1("users", "k") == ABSENT);
			assertThat(a.cache("users").get("k", database::get)).isEqualTo("v2");
			assertThat(b.cache("users").get("k", database::get)).isEqualTo("v2");
		});
	}

	@Test
	void aWriteBackThatRacedAChangeWhoseMessageWasLostIsUndoneByTheFlush() {
		TwoInstances.run(this.runner, bThroughProxy(), (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			AtomicReference<String> database = new AtomicReference<>("v1");
			long watchdogFlushes = b.flushes(FlushReason.WATCHDOG);
			// B's subscription stops answering: A's message never reaches B, nor B's
			// PINGs.
			bWritesBackAfterAsEviction(a, b, database);

			// B's watchdog finds the subscription dead, flushes, and undoes its
			// write-back.
			TwoInstances.within(Duration.ofSeconds(10)).until(() -> b.flushes(FlushReason.WATCHDOG) > watchdogFlushes);
			eventually().until(() -> !redisHolds("k"));
			assertThat(b.cache("users").getStatistics().writeBacksUndone()).isOne();
			eventually().until(() -> a.l1("users", "k") == ABSENT);
			assertThat(a.cache("users").get("k", database::get)).isEqualTo("v2");
			assertThat(b.cache("users").get("k", database::get)).isEqualTo("v2");
		});
	}

	@Test
	void aWriteBackThatLandedBeforeAnotherInstancesChangeIsLeftAlone() {
		TwoInstances.run(this.runner, bThroughProxy(), (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			AtomicReference<String> database = new AtomicReference<>("v1");
			assertThat(b.cache("users").get("k", database::get)).isEqualTo("v1");
			long received = b.stats().received();
			long commands = redis.commandCount("eval");

			database.set("v2");
			a.cache("users").put("k", "v2");
			eventually().until(() -> b.stats().received() > received);
			assertThat(b.cache("users").getStatistics().writeBacksUndone()).isZero();
			assertThat(redis.commandCount("eval")).as("B asked Redis whether its write-back was still there")
				.isEqualTo(commands + 1);
			assertThat(b.cache("users").get("k", database::get)).as("A's value stays in Redis").isEqualTo("v2");
			assertThat(b.cache("users").getStatistics().loadSuccesses()).as("B did not load again").isOne();
		});
	}

	/**
	 * The race: with B's subscription stalled, B's loader reads v1, A writes v2 and
	 * evicts the key, then B's write-back of v1 lands in Redis; B's caller gets v1.
	 */
	private void bWritesBackAfterAsEviction(Instance a, Instance b, AtomicReference<String> database) throws Exception {
		CountDownLatch loaderRead = new CountDownLatch(1);
		CountDownLatch aWrote = new CountDownLatch(1);
		this.proxy.stallExisting();
		CompletableFuture<Object> bLoad = CompletableFuture.supplyAsync(() -> b.cache("users").get("k", () -> {
			String value = database.get();
			loaderRead.countDown();
			aWrote.await();
			return value;
		}));
		loaderRead.await();
		database.set("v2");
		a.cache("users").evict("k");
		aWrote.countDown();
		assertThat(bLoad.get()).as("B's caller gets what it loaded before A's write").isEqualTo("v1");
		assertThat(redisHolds("k")).as("B's write-back landed after A's eviction").isTrue();
	}

	private static boolean redisHolds(String key) {
		return redis.adminBytes().exists(new RedisKeyScheme("opt:", 1).forCache("users").redisKey(key)) == 1;
	}

}
