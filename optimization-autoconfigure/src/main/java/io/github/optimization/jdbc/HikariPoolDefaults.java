package io.github.optimization.jdbc;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * The values the starter gives a HikariCP pool for every setting the application left
 * alone. Immutable.
 *
 * <p>
 * The pool size follows HikariCP's guidance ("About Pool Sizing"):
 * {@code connections = (core_count * 2) + effective_spindle_count}. The starter cannot
 * see the database's disks, so it counts one spindle:
 * {@code availableProcessors * 2 + 1}, clamped to {@code [minimumSize, maximumSize]}. The
 * count is that of the machine (or container quota) the application runs on, which is a
 * proxy: the database's own cores are what the formula is about.
 */
public final class HikariPoolDefaults {

	private final int availableProcessors;

	private final int minimumSize;

	private final int maximumSize;

	private final Duration connectionTimeout;

	private final Duration keepaliveTime;

	private final Duration maxLifetime;

	private final Duration leakDetectionThreshold;

	/**
	 * Creates the defaults.
	 * @param availableProcessors the processors of the machine, at least 1
	 * @param minimumSize smallest pool size the formula may choose, at least 1
	 * @param maximumSize largest pool size the formula may choose, at least
	 * {@code minimumSize}
	 * @param connectionTimeout how long a caller waits for a connection
	 * @param keepaliveTime how often idle connections are tested, zero for never
	 * @param maxLifetime longest life of a connection, zero for unbounded
	 * @param leakDetectionThreshold how long a connection may be held before HikariCP
	 * logs where it was taken; {@code null} leaves leak detection as it is
	 */
	public HikariPoolDefaults(int availableProcessors, int minimumSize, int maximumSize, Duration connectionTimeout,
			Duration keepaliveTime, Duration maxLifetime, Duration leakDetectionThreshold) {
		Assert.isTrue(availableProcessors >= 1, "availableProcessors must be at least 1");
		Assert.isTrue(minimumSize >= 1, "optimization.jdbc.pool.minimum-size must be at least 1");
		Assert.isTrue(maximumSize >= minimumSize,
				"optimization.jdbc.pool.maximum-size must not be below optimization.jdbc.pool.minimum-size");
		Assert.notNull(connectionTimeout, "connectionTimeout must not be null");
		Assert.notNull(keepaliveTime, "keepaliveTime must not be null");
		Assert.notNull(maxLifetime, "maxLifetime must not be null");
		this.availableProcessors = availableProcessors;
		this.minimumSize = minimumSize;
		this.maximumSize = maximumSize;
		this.connectionTimeout = connectionTimeout;
		this.keepaliveTime = keepaliveTime;
		this.maxLifetime = maxLifetime;
		this.leakDetectionThreshold = leakDetectionThreshold;
	}

	/**
	 * The pool size for this machine: {@code availableProcessors * 2 + 1}, clamped to
	 * {@code [minimumSize, maximumSize]}.
	 * @return the pool size
	 */
	public int poolSize() {
		return poolSize(this.availableProcessors, this.minimumSize, this.maximumSize);
	}

	/**
	 * The pool size for a machine: {@code availableProcessors * 2 + 1}, clamped to
	 * {@code [minimumSize, maximumSize]}.
	 * @param availableProcessors the machine's processors
	 * @param minimumSize the smallest size
	 * @param maximumSize the largest size
	 * @return the pool size
	 */
	public static int poolSize(int availableProcessors, int minimumSize, int maximumSize) {
		long size = (long) availableProcessors * 2 + 1;
		return (int) Math.max(minimumSize, Math.min(maximumSize, size));
	}

	public int getAvailableProcessors() {
		return this.availableProcessors;
	}

	public int getMinimumSize() {
		return this.minimumSize;
	}

	public int getMaximumSize() {
		return this.maximumSize;
	}

	public Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	public Duration getKeepaliveTime() {
		return this.keepaliveTime;
	}

	public Duration getMaxLifetime() {
		return this.maxLifetime;
	}

	/**
	 * The leak detection threshold.
	 * @return the threshold, or {@code null} when the starter leaves leak detection alone
	 */
	public Duration getLeakDetectionThreshold() {
		return this.leakDetectionThreshold;
	}

}
