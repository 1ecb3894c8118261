package io.github.optimization.cache.redis;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The gate that keeps callers of the dedicated connection from queueing for the first
 * connection, without a server.
 */
class ConnectionGateTests {

	@Test
	void callersShareOneBackgroundConnectionAttemptAndWaitForItAtMostTheCommandTimeout() throws Exception {
		ExecutorService executor = Executors.newCachedThreadPool();
		try {
			CountDownLatch handshake = new CountDownLatch(1);
			AtomicInteger attempts = new AtomicInteger();
			ConnectionGate gate = new ConnectionGate(() -> {
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
			ConnectionGate gate = new ConnectionGate(() -> {
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
			ConnectionGate gate = new ConnectionGate(() -> {
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
			ConnectionGate gate = new ConnectionGate(() -> {
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

}
