package io.github.optimization.cache;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.github.optimization.cache.TieredCacheStatistics.LockAttempt;
import io.github.optimization.cache.TieredCacheStatistics.LockWait;

/**
 * Cluster-wide single flight: what the leader of a {@link Flight} does after an L2 miss
 * when its cache loads a cold key once across all instances rather than once per
 * instance. Only the leader runs this, so one instance sends one lock attempt per cold
 * key; its local waiters wait for the leader as always.
 *
 * <p>
 * The protocol, every command through the {@link L2Tier} (breaker, command timeout,
 * failure counting):
 * <ol>
 * <li>{@code SET <lock key> <random token> NX PX <lock TTL>}. Taken: load, write L2 as a
 * load always does, then release the lock with a compare-and-delete of the token (also
 * when the loader threw), so a lock that expired and was taken by another instance is
 * never deleted by this one.</li>
 * <li>Held by another instance: every poll interval, {@code GET} the key. A value: return
 * it (it was put in L1 by the read). No value: try the lock again; taken means the holder
 * went away without a value (its loader threw, it crashed and the lock expired): read
 * once more, since the holder may have written and released between the two commands,
 * then load.</li>
 * <li>Load without the lock, at once, when Redis becomes unusable (breaker open, timeout,
 * connection refused); when the key is written, evicted or cleared while waiting (the
 * holder's value may predate the change, so it is not returned); and when the cache's
 * load-wait timeout has passed. Callers of this instance waiting for this leader then
 * wait for its own load too (see {@link Flight#extraWaitNanos}), rather than each
 * loading.</li>
 * </ol>
 * "Changed" is the flight's own flag, set for this key only (a put or eviction here,
 * another instance's invalidation of this key, a clear), not its version ticket, which
 * any other instance's write of any key of the cache stales: waits survive a busy cache.
 * A ticket that is stale all the same still keeps a value found from being put in L1. A
 * crashed holder therefore delays others until its lock expires, and never longer than
 * the load-wait timeout. Waiting parks the thread between polls and holds no lock of L1.
 *
 * <p>
 * Thread-safe; keeps no state between calls. {@link #NONE} for a cache that loads once
 * per instance.
 */
class ClusterFlight {

	/** Loads once per instance: the load runs at once. */
	static final ClusterFlight NONE = new ClusterFlight() {
		@Override
		Object load(Object key, Flight flight, Supplier<Object> readL2, Supplier<Object> load) {
			return load.get();
		}
	};

	private final L2Tier l2;

	private final TieredCacheStatistics stats;

	private final long lockTtlMillis;

	private final long pollNanos;

	private final long waitNanos;

	private ClusterFlight() {
		this.l2 = L2Tier.NONE;
		this.stats = null;
		this.lockTtlMillis = 0;
		this.pollNanos = 0;
		this.waitNanos = 0;
	}

	ClusterFlight(L2Tier l2, CacheSpec spec, TieredCacheStatistics stats) {
		this.l2 = l2;
		this.stats = stats;
		this.lockTtlMillis = spec.lockTtl().toMillis();
		this.pollNanos = spec.lockPollInterval().toNanos();
		this.waitNanos = spec.loadWaitTimeout().toNanos();
	}

	/**
	 * Return another instance's value for a key that missed in L2, or load it under the
	 * lock.
	 * @param key the key
	 * @param flight the leader's flight
	 * @param readL2 reads the key from L2 for the flight (filling L1 if the flight is
	 * still current): the stored form ({@link L1Entry#NULL} for a cached null),
	 * {@code null} on a miss; sets {@link Flight#l2Unavailable} when Redis could not be
	 * asked
	 * @param load calls the loader and stores its value, as without the lock
	 * @return the value, {@code null} for a cached or loaded {@code null}
	 */
	Object load(Object key, Flight flight, Supplier<Object> readL2, Supplier<Object> load) {
		byte[] token = newToken();
		LockAttempt attempt = tryLock(key, token, flight);
		if (attempt == LockAttempt.ACQUIRED) {
			return loadHolding(key, token, load);
		}
		if (attempt == LockAttempt.UNAVAILABLE) {
			return load.get();
		}
		return await(key, token, flight, readL2, load);
	}

	private Object await(Object key, byte[] token, Flight flight, Supplier<Object> readL2, Supplier<Object> load) {
		flight.waitingForCluster();
		long start = System.nanoTime();
		long deadline = start + this.waitNanos;
		while (true) {
			if (flight.invalidated) {
				return loadAfterWait(flight, LockWait.CHANGED, start, load);
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0 || Thread.currentThread().isInterrupted()) {
				return loadAfterWait(flight, LockWait.TIMEOUT, start, load);
			}
			LockSupport.parkNanos(this, Math.min(this.pollNanos, remaining));
			Object stored = readL2.get();
			if (flight.l2Unavailable) {
				return loadAfterWait(flight, LockWait.UNAVAILABLE, start, load);
			}
			if (stored != null) {
				if (flight.invalidated) {
					// Read before or after the change, it may be the holder's older
					// value.
					return loadAfterWait(flight, LockWait.CHANGED, start, load);
				}
				this.stats.lockWait(LockWait.VALUE, System.nanoTime() - start);
				return (stored == L1Entry.NULL) ? null : stored;
			}
			LockAttempt attempt = tryLock(key, token, flight);
			if (attempt == LockAttempt.UNAVAILABLE) {
				return loadAfterWait(flight, LockWait.UNAVAILABLE, start, load);
			}
			if (attempt == LockAttempt.ACQUIRED) {
				this.stats.lockWait(LockWait.TAKEOVER, System.nanoTime() - start);
				return takeOver(key, token, flight, readL2, load);
			}
		}
	}

	private Object takeOver(Object key, byte[] token, Flight flight, Supplier<Object> readL2, Supplier<Object> load) {
		try {
			// The holder may have written its value and released the lock between our GET
			// and
			// our SET: look once more before loading.
			Object stored = readL2.get();
			if (stored != null && !flight.invalidated) {
				return (stored == L1Entry.NULL) ? null : stored;
			}
			return load.get();
		}
		finally {
			release(key, token);
		}
	}

	private Object loadHolding(Object key, byte[] token, Supplier<Object> load) {
		try {
			return load.get();
		}
		finally {
			release(key, token);
		}
	}

	private Object loadAfterWait(Flight flight, LockWait result, long start, Supplier<Object> load) {
		this.stats.lockWait(result, System.nanoTime() - start);
		return load.get();
	}

	private LockAttempt tryLock(Object key, byte[] token, Flight flight) {
		LockAttempt attempt = this.l2.tryLock(key, token, this.lockTtlMillis);
		this.stats.lockAttempt(attempt);
		if (attempt == LockAttempt.UNAVAILABLE) {
			// As after a failed read: the loaded value is not written back, so the caller
			// pays at most one more command timeout.
			flight.l2Unavailable = true;
		}
		return attempt;
	}

	private void release(Object key, byte[] token) {
		this.stats.lockRelease(this.l2.unlock(key, token));
	}

	/** 128 random bits: unique per attempt, so only its taker can release a lock. */
	private static byte[] newToken() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		HexFormat hex = HexFormat.of();
		return (hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong()))
			.getBytes(StandardCharsets.US_ASCII);
	}

}
