package io.github.optimization.cache.coherence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.optimization.cache.FlushReason;
import io.github.optimization.cache.InvalidationHandler;
import io.github.optimization.cache.key.KeyDigest;
import io.github.optimization.cache.redis.RedisInvalidationBus;
import io.github.optimization.canary.CanaryFlags;
import io.github.optimization.canary.SerializableCanary;
import io.github.optimization.test.redis.RedisServerExtension;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.optimization.cache.coherence.TwoInstances.CHANNEL;
import static io.github.optimization.cache.coherence.TwoInstances.eventually;
import static io.github.optimization.cache.coherence.TwoInstances.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * F13 / S4: anyone who can publish on the channel sends crafted messages. They are parsed
 * with a fixed schema after a size check, dropped and counted; nothing is thrown, nothing
 * is flushed, no class named in them is loaded, and the listener keeps applying valid
 * messages. A burst of valid messages either is applied or, when it overflows the queue,
 * ends in a flush.
 */
@ExtendWith(OutputCaptureExtension.class)
class CraftedMessageTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final String CANARY = "io.github.optimization.canary.TypeIdCanary";

	private static final String DIGEST = KeyDigest.of("k");

	private final ApplicationContextRunner runner = TwoInstances.runner(redis);

	@BeforeEach
	void emptyRedis() {
		redis.flushAll();
	}

	@Test
	void craftedMessagesAreDroppedAndCountedAndTheListenerKeepsWorking(CapturedOutput output) throws IOException {
		List<byte[]> malformed = malformedMessages();
		String justOver = valid("evict", "users", DIGEST);
		List<byte[]> oversized = List.of(json(" ".repeat(4097 - justOver.length()) + justOver),
				new byte[10 * 1024 * 1024]);
		assertThat(oversized.get(0).length).as("one byte over the default 4KB").isEqualTo(4097);
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			BasicCoherenceTests.bothHold(a, b, "users", "k", "v1");
			BasicCoherenceTests.bothHold(b, a, "orders", "o", "o1");
			long received = a.stats().received();
			long aFlushes = a.allFlushes();
			long bFlushes = b.allFlushes();

			for (byte[] message : malformed) {
				publish(message);
			}
			for (byte[] message : oversized) {
				publish(message);
			}
			// A message for a cache A does not have is valid: applied, with nothing to
			// drop.
			publish(json(valid("evict", "no-such-cache", DIGEST)));
			publish(json(valid("clear", "no-such-cache", null)));
			// A valid message from B after all of them: once A has applied it, A has seen
			// the rest.
			b.cache("users").put("k", "v2");
			eventually().until(() -> a.stats().received() >= received + 3);

			// B has no later message of A's to wait for: it gets a few moments to catch
			// up.
			eventually().untilAsserted(() -> {
				for (Instance instance : new Instance[] { a, b }) {
					assertThat(instance.stats().dropped("malformed")).as("%s malformed", instance)
						.isEqualTo(malformed.size());
					assertThat(instance.stats().dropped("oversized")).as("%s oversized", instance).isEqualTo(2);
				}
			});
			for (Instance instance : new Instance[] { a, b }) {
				assertThat(instance.allFlushes()).as("%s flushed nothing", instance)
					.isEqualTo((instance == a) ? aFlushes : bFlushes);
				assertThat(instance.l1("orders", "o")).as("%s keeps other entries", instance).isEqualTo("o1");
			}
			assertThat(a.stats().received()).isEqualTo(received + 3);
			assertThat(a.l1("users", "k")).as("B's valid message was applied").isSameAs(Instance.ABSENT);
			assertThat(a.cache("users").get("k").get()).isEqualTo("v2");
			assertThat(a.bus().isSubscribed()).isTrue();
			assertThat(TwoInstances.subscribers(redis)).isEqualTo(2);
			BasicCoherenceTests.bothHold(b, a, "users", "k", "v3");
		});
		assertThat(CanaryFlags.INITIALIZED).as("classes named in messages").doesNotContain(CANARY);
		assertThat(CanaryFlags.READ_OBJECT_CALLED).as("Java deserialization").isEmpty();
		assertThat(output.getAll()).doesNotContain("Exception in thread").doesNotContain("NullPointerException");
	}

	@Test
	void anotherInstancesSourceIdIsNotAuthenticationButOnlyItsOwnMessagesAreSkipped() {
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			BasicCoherenceTests.bothHold(a, b, "users", "k", "v1");
			long aReceived = a.stats().received();
			long bReceived = b.stats().received();
			// Crafted with A's source id: A takes it for its own, B applies it.
			publish(json("{\"v\":1,\"src\":\"" + a.bus().sourceId()
					+ "\",\"op\":\"evict\",\"cache\":\"users\",\"key\":\"" + DIGEST + "\"}"));
			eventually().until(() -> b.stats().received() > bReceived);
			assertThat(b.l1("users", "k")).isSameAs(Instance.ABSENT);
			b.cache("other").put("marker", "m");
			eventually().until(() -> a.stats().received() > aReceived);
			assertThat(a.stats().received()).isEqualTo(aReceived + 1);
			assertThat(a.l1("users", "k")).isEqualTo("v1");
		});
	}

	@Test
	void aBurstOfTenThousandValidMessagesIsAppliedOrEndsInAnOverflowFlush() {
		int burst = 10_000;
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			long received = a.stats().received();
			List<byte[]> messages = new ArrayList<>(burst);
			for (int i = 0; i < burst; i++) {
				messages.add(json(valid("evict", "users", KeyDigest.of("burst" + i))));
			}
			publishPipelined(messages);
			within(Duration.ofSeconds(20))
				.until(() -> a.stats().received() + a.stats().dropped("overflow") == received + burst);
			long overflow = a.stats().dropped("overflow");
			if (overflow > 0) {
				eventually().until(() -> a.flushes(FlushReason.OVERFLOW) > 0);
			}
			else {
				assertThat(a.flushes(FlushReason.OVERFLOW)).isZero();
			}
			assertThat(a.stats().dropped("malformed")).isZero();
			// Overflow flushes (on either instance) may still trail the burst: the
			// listeners keep
			// working, so the exchange succeeds once they are done.
			eventually().untilAsserted(() -> BasicCoherenceTests.bothHold(a, b, "users", "k", "v1"));
			eventually().untilAsserted(() -> BasicCoherenceTests.bothHold(b, a, "users", "k", "v2"));
			assertThat(TwoInstances.subscribers(redis)).isEqualTo(2);
		});
	}

	@Test
	void messagesBeyondTheQueueAreDroppedCountedAndEndInAFlush() {
		int capacity = 16;
		int burst = 200;
		TwoInstances.run(this.runner, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			// A bus of its own (wired like the auto-configuration's) whose handler blocks
			// on its
			// first message until released.
			RecordingHandler handler = new RecordingHandler();
			RedisClient client = RedisClient.create(redis.uri());
			RedisInvalidationBus bus = new RedisInvalidationBus(new RedisInvalidationBus.Settings(CHANNEL,
					TwoInstances.PING_INTERVAL, TwoInstances.PONG_TIMEOUT, capacity, 4096), client,
					client::connectPubSub, (channel, message) -> false, () -> null);
			try {
				bus.attach(handler);
				bus.start();
				within(Duration.ofSeconds(10)).until(() -> bus.isSubscribed() && TwoInstances.subscribers(redis) == 3);
				b.cache("users").put("k", "v1");
				eventually().until(() -> handler.blocked.getCount() == 0);
				List<byte[]> messages = new ArrayList<>(burst);
				for (int i = 0; i < burst; i++) {
					messages.add(json(valid("evict", "users", KeyDigest.of("burst" + i))));
				}
				publishPipelined(messages);
				// B's message blocks the handler, the queue holds its capacity, the rest
				// is dropped.
				eventually().until(() -> bus.statistics().dropped("overflow") == burst - capacity);
				// Drops are coalesced into flushes on the watchdog thread, which does not
				// wait for
				// the blocked handler; a drop after a flush started asks for another one.
				eventually().until(() -> handler.overflowFlushes.get() >= 1);
				assertThat(bus.statistics().received()).isZero();

				handler.release.countDown();
				eventually().until(() -> bus.statistics().received() == 1 + capacity);
				assertThat(handler.evictions.get()).isEqualTo(1 + capacity);

				b.cache("users").put("k", "v2");
				eventually().until(() -> bus.statistics().received() == 2 + capacity);
				assertThat(bus.statistics().dropped("overflow")).isEqualTo(burst - capacity);
				assertThat(handler.flushes.get()).as("only overflow flushes").isEqualTo(handler.overflowFlushes.get());
				assertThat(handler.subscriptionFlushes.get()).as("the flush of the subscription").isOne();
				assertThat(handler.flushes.get()).isBetween(1L, (long) (burst - capacity));
			}
			finally {
				handler.release.countDown();
				bus.close();
				client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
			}
		});
	}

	private static List<byte[]> malformedMessages() throws IOException {
		List<byte[]> messages = new ArrayList<>();
		byte[] garbage = new byte[1000];
		new Random(42).nextBytes(garbage);
		messages.add(garbage);
		messages.add(new byte[0]);
		messages.add(json("null"));
		messages.add(json("[]"));
		messages.add(json("\"evict\""));
		messages.add(json("42"));
		messages.add(json("{}"));
		messages.add(json(valid("evict", "users", DIGEST).replace("\"v\":1", "\"v\":2")));
		messages.add(json(valid("evict", "users", DIGEST).replace("\"src\":\"peer\",", "")));
		messages.add(json(valid("purge", "users", DIGEST)));
		messages.add(json(valid("drop", "users", null)));
		messages.add(json(valid("Drop", "users", DIGEST)));
		messages.add(json(valid("EVICT", "users", "not-a-digest")));
		messages.add(json(valid("Clear", "users", null)));
		messages.add(json(valid("FLUSH", null, null)));
		messages.add(json(valid("evict", "users", "zz")));
		messages.add(json(valid("evict", "users", DIGEST.toUpperCase())));
		messages.add(json(valid("evict", "users", null)));
		messages.add(json(valid("evict", null, DIGEST)));
		messages.add(json(valid("clear", "", null)));
		messages.add(json(valid("clear", "c".repeat(257), null)));
		messages.add(json(
				valid("evict", "users", DIGEST).replace("\"src\":\"peer\"", "\"src\":\"" + "s".repeat(65) + "\"")));
		messages.add(json(valid("evict", "users", DIGEST).replace("{", "{\"extra\":1,")));
		messages.add(json(valid("evict", "users", DIGEST).replace("{", "{\"@class\":\"" + CANARY + "\",")));
		messages.add(json("[\"" + CANARY + "\"," + valid("evict", "users", DIGEST) + "]"));
		messages.add(json(valid("evict", "users", DIGEST) + valid("evict", "users", DIGEST)));
		messages.add(json("[".repeat(3000)));
		byte[] badUtf8 = json(valid("clear", "users", null).replace("users", "us\u0001rs"));
		badUtf8[badUtf8.length - 20] = (byte) 0xC3;
		messages.add(badUtf8);
		ByteArrayOutputStream serialized = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
			out.writeObject(new SerializableCanary("gadget"));
		}
		messages.add(serialized.toByteArray());
		assertThat(messages).allSatisfy((message) -> assertThat(message.length).isLessThanOrEqualTo(4096));
		return messages;
	}

	/**
	 * A message in the bus's schema, from a made-up peer; {@code null} leaves a field
	 * out.
	 */
	static String valid(String op, String cache, String key) {
		StringBuilder json = new StringBuilder("{\"v\":1,\"src\":\"peer\",\"op\":\"").append(op).append('"');
		if (cache != null) {
			json.append(",\"cache\":\"").append(cache).append('"');
		}
		if (key != null) {
			json.append(",\"key\":\"").append(key).append('"');
		}
		return json.append('}').toString();
	}

	static byte[] json(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static void publish(byte[] message) {
		redis.adminBytes().publish(CHANNEL.getBytes(StandardCharsets.UTF_8), message);
	}

	/**
	 * Publishes all messages in one pipeline from a connection of its own, as fast as
	 * Redis takes them.
	 */
	private static void publishPipelined(List<byte[]> messages) {
		RedisClient client = RedisClient.create(redis.uri());
		try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
			connection.setAutoFlushCommands(false);
			byte[] channel = CHANNEL.getBytes(StandardCharsets.UTF_8);
			List<RedisFuture<Long>> futures = new ArrayList<>(messages.size());
			for (byte[] message : messages) {
				futures.add(connection.async().publish(channel, message));
			}
			connection.flushCommands();
			assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(20), futures.toArray(new RedisFuture[0]))).isTrue();
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

	/** Counts what it is asked to do; the first eviction blocks until released. */
	private static final class RecordingHandler implements InvalidationHandler {

		final CountDownLatch blocked = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicLong evictions = new AtomicLong();

		final AtomicLong flushes = new AtomicLong();

		final AtomicLong overflowFlushes = new AtomicLong();

		final AtomicLong subscriptionFlushes = new AtomicLong();

		@Override
		public boolean keyInvalidated(String cacheName, String keyDigest) {
			if (this.blocked.getCount() > 0) {
				this.blocked.countDown();
				try {
					this.release.await(20, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.evictions.incrementAndGet();
			return true;
		}

		@Override
		public boolean cacheInvalidated(String cacheName) {
			return true;
		}

		@Override
		public void flushAll(FlushReason reason) {
			if (reason == FlushReason.RESUBSCRIBE) {
				this.subscriptionFlushes.incrementAndGet();
				return;
			}
			this.flushes.incrementAndGet();
			if (reason == FlushReason.OVERFLOW) {
				this.overflowFlushes.incrementAndGet();
			}
		}

	}

}
