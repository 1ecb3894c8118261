package io.github.optimization.autoconfigure.cache;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.resilience.RedisFailures;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The dedicated connection's outage behaviour, without a server: the replay filter's
 * classification, the channel handler that fails writes still unanswered when the channel
 * goes inactive (Lettuce would otherwise send them again after reconnecting), and the
 * gate that keeps callers from queueing for the first connection.
 */
class TieredCacheRedisConnectionTests {

	@Test
	void writesAreFilteredReadsAreNot() {
		assertThat(TieredCacheRedisConnection.isWrite(command(CommandType.SET))).isTrue();
		assertThat(TieredCacheRedisConnection.isWrite(command(CommandType.UNLINK))).isTrue();
		assertThat(TieredCacheRedisConnection.isWrite(command(CommandType.PUBLISH))).isTrue();
		assertThat(TieredCacheRedisConnection.isWrite(command(CommandType.GET))).isFalse();
		assertThat(TieredCacheRedisConnection.isWrite(command(CommandType.PING))).isFalse();
	}

	@Test
	void dataCommandsGetTheCommandTimeoutAndTheSubscriptionsCommandsTheControlTimeout() {
		TieredCacheRedisConnection.CommandTimeouts timeouts = new TieredCacheRedisConnection.CommandTimeouts(
				Duration.ofMillis(50), Duration.ofSeconds(1));
		assertThat(timeouts.getTimeout(command(CommandType.GET))).isEqualTo(50);
		assertThat(timeouts.getTimeout(command(CommandType.SET))).isEqualTo(50);
		assertThat(timeouts.getTimeout(command(CommandType.SCAN))).isEqualTo(50);
		assertThat(timeouts.getTimeout(command(CommandType.PUBLISH))).isEqualTo(50);
		assertThat(timeouts.getTimeout(command(CommandType.SUBSCRIBE))).isEqualTo(1_000);
		assertThat(timeouts.getTimeout(command(CommandType.UNSUBSCRIBE))).isEqualTo(1_000);
		assertThat(timeouts.getTimeout(command(CommandType.PING))).isEqualTo(1_000);
		assertThat(new TieredCacheRedisConnection.CommandTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1))
			.getTimeout(command(CommandType.PING))).as("never shorter than the command timeout").isEqualTo(2_000);
	}

	@Test
	void unansweredWritesFailWhenTheChannelGoesInactiveAndReadsStayForReplay() {
		EmbeddedChannel channel = new EmbeddedChannel(new TieredCacheRedisConnection.UnansweredWrites());
		AsyncCommand<byte[], byte[], String> set = command(CommandType.SET);
		AsyncCommand<byte[], byte[], String> get = command(CommandType.GET);
		channel.writeOutbound(set, get);

		channel.close();

		assertThat(set.isCompletedExceptionally()).isTrue();
		assertThat(failure(set)).hasMessageContaining("not sent again");
		assertThat(RedisFailures.isUnavailable(failure(set))).as("counts as Redis unreachable").isTrue();
		assertThat(get.isDone()).as("a read may be replayed").isFalse();
	}

	@Test
	void answeredWritesAreForgotten() {
		TieredCacheRedisConnection.UnansweredWrites handler = new TieredCacheRedisConnection.UnansweredWrites();
		EmbeddedChannel channel = new EmbeddedChannel(handler);
		AsyncCommand<byte[], byte[], String> first = command(CommandType.SET);
		channel.writeOutbound(first);
		first.complete("OK");
		AsyncCommand<byte[], byte[], String> second = command(CommandType.SET);
		channel.writeOutbound(java.util.List.of(second));
		assertThat(handler.pendingWrites()).isEqualTo(1);

		channel.close();

		assertThat(first.isCompletedExceptionally()).isFalse();
		assertThat(second.isCompletedExceptionally()).isTrue();
	}

	@Test
	void callersShareOneBackgroundConnectionAttemptAndWaitForItAtMostTheCommandTimeout() throws Exception {
		ExecutorService executor = Executors.newCachedThreadPool();
		try {
			CountDownLatch handshake = new CountDownLatch(1);
			AtomicInteger attempts = new AtomicInteger();
			TieredCacheRedisConnection.Gate gate = new TieredCacheRedisConnection.Gate(() -> {
				attempts.incrementAndGet();
				try {
					handshake.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, Duration.ofMillis(50), Duration.ofMillis(50), executor);
			for (int i = 0; i < 3; i++) {
				long start = System.nanoTime();
				assertThatExceptionOfType(RedisConnectionFailureException.class).isThrownBy(gate::await)
					.withMessageContaining("did not complete within 50ms");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			}
			assertThat(attempts).as("one attempt, however many callers").hasValue(1);

			handshake.countDown();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				gate.await();
				assertThat(gate.isEstablished()).isTrue();
			});
			assertThat(attempts).hasValue(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void callersWaitForTheFirstAttemptUpToTheConnectTimeoutAndForLaterOnesUpToTheCommandTimeout() {
		ExecutorService executor = Executors.newCachedThreadPool();
		try {
			CountDownLatch handshake = new CountDownLatch(1);
			AtomicInteger attempts = new AtomicInteger();
			TieredCacheRedisConnection.Gate gate = new TieredCacheRedisConnection.Gate(() -> {
				if (attempts.incrementAndGet() == 1) {
					throw new RedisConnectionFailureException("Connection refused");
				}
				try {
					handshake.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, Duration.ofSeconds(5), Duration.ofMillis(50), executor);
			assertThatExceptionOfType(RedisConnectionFailureException.class).isThrownBy(gate::await)
				.withMessageContaining("Connection refused");
			assertThatExceptionOfType(RedisConnectionFailureException.class).as("a later attempt")
				.isThrownBy(gate::await)
				.withMessageContaining("did not complete within 50ms");
			handshake.countDown();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void theFirstAttemptMayTakeLongerThanTheCommandTimeout() {
		ExecutorService executor = Executors.newCachedThreadPool();
		try {
			CountDownLatch handshake = new CountDownLatch(1);
			TieredCacheRedisConnection.Gate gate = new TieredCacheRedisConnection.Gate(() -> {
				try {
					handshake.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, Duration.ofSeconds(5), Duration.ofMillis(50), executor);
			java.util.concurrent.CompletableFuture<Void> caller = java.util.concurrent.CompletableFuture
				.runAsync(gate::await, executor);
			await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !caller.isDone());
			handshake.countDown();
			assertThat(caller).succeedsWithin(Duration.ofSeconds(5));
			assertThat(gate.isEstablished()).isTrue();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aFailedAttemptFailsItsCallersAndTheNextCallTriesAgain() {
		ExecutorService executor = Executors.newCachedThreadPool();
		try {
			AtomicInteger attempts = new AtomicInteger();
			TieredCacheRedisConnection.Gate gate = new TieredCacheRedisConnection.Gate(() -> {
				if (attempts.incrementAndGet() == 1) {
					throw new RedisConnectionFailureException("Connection refused");
				}
			}, Duration.ofSeconds(1), Duration.ofSeconds(1), executor);
			assertThatExceptionOfType(RedisConnectionFailureException.class).isThrownBy(gate::await)
				.withMessageContaining("Connection refused");
			gate.await();
			assertThat(gate.isEstablished()).isTrue();
			assertThat(attempts).hasValue(2);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static Throwable failure(AsyncCommand<byte[], byte[], String> command) {
		return command.handle((value, error) -> error).join();
	}

	private static AsyncCommand<byte[], byte[], String> command(CommandType type) {
		return new AsyncCommand<>(new Command<>(type, new StatusOutput<>(ByteArrayCodec.INSTANCE)));
	}

}
