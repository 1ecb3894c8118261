package io.github.optimization.cache.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * One connection attempt at a time, in the background; callers wait for it, boundedly.
 * Once an attempt has succeeded, callers pass at once. Thread-safe.
 */
final class ConnectionGate {

	private final Runnable connect;

	private final Duration firstWait;

	private final Duration wait;

	private final Executor executor;

	private volatile boolean established;

	private CompletableFuture<Void> attempt;

	private CompletableFuture<Void> first;

	/**
	 * Create a gate.
	 * @param connect opens the connection, or throws
	 * @param firstWait how long callers wait for the first attempt
	 * @param wait how long callers wait for a later attempt
	 * @param executor runs the attempts
	 */
	ConnectionGate(Runnable connect, Duration firstWait, Duration wait, Executor executor) {
		this.connect = connect;
		this.firstWait = firstWait;
		this.wait = wait;
		this.executor = executor;
	}

	/** Start an attempt unless one is running or a connection is established. */
	synchronized CompletableFuture<Void> start() {
		if (this.established) {
			return CompletableFuture.completedFuture(null);
		}
		if (this.attempt == null || this.attempt.isDone()) {
			this.attempt = CompletableFuture.runAsync(() -> {
				this.connect.run();
				this.established = true;
			}, this.executor);
			if (this.first == null) {
				this.first = this.attempt;
			}
		}
		return this.attempt;
	}

	/**
	 * Return once connected; wait for the attempt in progress at most the configured
	 * time.
	 * @throws RedisConnectionFailureException if the attempt failed or did not complete
	 * in time
	 */
	void await() {
		if (this.established) {
			return;
		}
		CompletableFuture<Void> current = start();
		Duration bound;
		synchronized (this) {
			bound = (current == this.first) ? this.firstWait : this.wait;
		}
		try {
			current.get(bound.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new RedisConnectionFailureException("Not connected to Redis yet: the connection attempt in "
					+ "progress did not complete within " + bound.toMillis() + "ms", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new RedisConnectionFailureException("Unable to connect to Redis: " + cause.getMessage(), cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisConnectionFailureException("Interrupted while waiting for a connection to Redis", ex);
		}
	}

	boolean isEstablished() {
		return this.established;
	}

}
