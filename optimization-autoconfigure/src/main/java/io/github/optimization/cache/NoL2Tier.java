package io.github.optimization.cache;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JavaType;
import io.github.optimization.cache.TieredCacheStatistics.LockAttempt;
import io.github.optimization.cache.TieredCacheStatistics.LockRelease;
import io.github.optimization.cache.codec.Decoded;

/**
 * A cache without a shared level: every read misses (never {@link L2Tier#UNAVAILABLE}), a
 * write stores nothing (as if absent before), a delete finds nothing, nothing is ever
 * pending.
 */
final class NoL2Tier implements L2Tier {

	private static final CompletableFuture<Decoded> MISS = CompletableFuture.completedFuture(null);

	@Override
	public boolean isPresent() {
		return false;
	}

	@Override
	public Decoded read(Object key, JavaType type) {
		return null;
	}

	@Override
	public List<Decoded> readAll(List<?> keys, JavaType type) {
		return Collections.nCopies(keys.size(), null);
	}

	@Override
	public CompletableFuture<Decoded> readAsync(Object key, JavaType type) {
		return MISS;
	}

	@Override
	public byte[] write(Object key, Object value, JavaType type, long ttlMillis, long lifeMillis) {
		return null;
	}

	@Override
	public byte[][] writeAll(List<?> keys, List<?> values, JavaType type, long[] ttlMillis, long[] lifeMillis) {
		return null;
	}

	@Override
	public Boolean writeIfAbsent(Object key, Object value, JavaType type, long ttlMillis, long lifeMillis) {
		return Boolean.TRUE;
	}

	@Override
	public LockAttempt tryLock(Object key, byte[] token, long ttlMillis) {
		return LockAttempt.UNAVAILABLE;
	}

	@Override
	public LockRelease unlock(Object key, byte[] token) {
		return LockRelease.FAILED;
	}

	@Override
	public Boolean delete(Object key) {
		return Boolean.FALSE;
	}

	@Override
	public Boolean deleteIfWritten(Object key, byte[] written) {
		return Boolean.FALSE;
	}

	@Override
	public long deleteMatching(String keyPattern) {
		return 0;
	}

	@Override
	public long deleteAll() {
		return 0;
	}

	@Override
	public void keyChangeFailed(Object key) {
	}

	@Override
	public void keyChangeReached(Object key) {
	}

	@Override
	public void clearFailed() {
	}

	@Override
	public boolean hasPendingRepairs() {
		return false;
	}

	@Override
	public boolean repair(PendingRepairs.Repaired repaired) {
		return true;
	}

}
