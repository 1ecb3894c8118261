package io.github.optimization.cache;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link L2Store} that forwards every call to a real one; tests override single calls
 * to hold or observe them while Redis itself stays real.
 */
public class ForwardingL2Store implements L2Store {

	private final L2Store delegate;

	public ForwardingL2Store(L2Store delegate) {
		this.delegate = delegate;
	}

	@Override
	public byte[] get(byte[] key) {
		return this.delegate.get(key);
	}

	@Override
	public List<byte[]> getAll(List<byte[]> keys) {
		return this.delegate.getAll(keys);
	}

	@Override
	public CompletableFuture<byte[]> getAsync(byte[] key) {
		return this.delegate.getAsync(key);
	}

	@Override
	public void set(byte[] key, byte[] value, long ttlMillis) {
		this.delegate.set(key, value, ttlMillis);
	}

	@Override
	public void setAll(List<Entry> entries) {
		this.delegate.setAll(entries);
	}

	@Override
	public boolean setIfAbsent(byte[] key, byte[] value, long ttlMillis) {
		return this.delegate.setIfAbsent(key, value, ttlMillis);
	}

	@Override
	public boolean delete(byte[] key) {
		return this.delegate.delete(key);
	}

	@Override
	public boolean deleteIfEquals(byte[] key, byte[] expected) {
		return this.delegate.deleteIfEquals(key, expected);
	}

	@Override
	public long deleteMatching(String pattern) {
		return this.delegate.deleteMatching(pattern);
	}

	@Override
	public void publish(byte[] channel, byte[] message) {
		this.delegate.publish(channel, message);
	}

}
