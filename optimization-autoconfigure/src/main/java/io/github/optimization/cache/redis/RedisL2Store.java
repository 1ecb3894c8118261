package io.github.optimization.cache.redis;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.types.Expiration;

/**
 * {@link L2Store} over a spring-data-redis {@link RedisConnectionFactory} (Lettuce in
 * practice). A connection is borrowed per operation; with Lettuce's default shared native
 * connection this is a cheap wrapper around one multiplexed socket.
 *
 * <p>{@link #deleteMatching(String)} walks the key space with SCAN in batches of
 * {@value #SCAN_BATCH} and deletes each batch with UNLINK, so clearing a large cache never
 * blocks the server. {@link #getAsync(byte[])} uses the reactive API when the factory
 * offers it (Lettuce does), so it does not block the caller.
 *
 * <p>Thread-safe.
 */
public final class RedisL2Store implements L2Store {

	static final int SCAN_BATCH = 500;

	private final RedisConnectionFactory connectionFactory;

	private final ReactiveRedisConnectionFactory reactiveConnectionFactory;

	/**
	 * Create a store.
	 * @param connectionFactory the connection factory; not {@code null}
	 */
	public RedisL2Store(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
		this.reactiveConnectionFactory = (connectionFactory instanceof ReactiveRedisConnectionFactory reactive)
				? reactive : null;
	}

	@Override
	public byte[] get(byte[] key) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return connection.stringCommands().get(key);
		}
	}

	@Override
	public CompletableFuture<byte[]> getAsync(byte[] key) {
		if (this.reactiveConnectionFactory == null) {
			return CompletableFuture.completedFuture(get(key));
		}
		ReactiveRedisConnection connection = this.reactiveConnectionFactory.getReactiveConnection();
		return connection.stringCommands()
			.get(ByteBuffer.wrap(key))
			.map(RedisL2Store::toBytes)
			.doFinally((signal) -> connection.close())
			.toFuture();
	}

	private static byte[] toBytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	@Override
	public void set(byte[] key, byte[] value, long ttlMillis) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.stringCommands().set(key, value, Expiration.milliseconds(ttlMillis), SetOption.upsert());
		}
	}

	@Override
	public boolean setIfAbsent(byte[] key, byte[] value, long ttlMillis) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Boolean set = connection.stringCommands()
				.set(key, value, Expiration.milliseconds(ttlMillis), SetOption.ifAbsent());
			return Boolean.TRUE.equals(set);
		}
	}

	@Override
	public boolean delete(byte[] key) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Long deleted = connection.keyCommands().unlink(key);
			return deleted != null && deleted > 0;
		}
	}

	@Override
	public long deleteMatching(String pattern) {
		long deleted = 0;
		ScanOptions options = ScanOptions.scanOptions().match(pattern).count(SCAN_BATCH).build();
		try (RedisConnection connection = this.connectionFactory.getConnection();
				Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
			List<byte[]> batch = new ArrayList<>(SCAN_BATCH);
			while (cursor.hasNext()) {
				batch.add(cursor.next());
				if (batch.size() == SCAN_BATCH) {
					deleted += unlink(connection, batch);
				}
			}
			deleted += unlink(connection, batch);
		}
		return deleted;
	}

	@Override
	public void publish(byte[] channel, byte[] message) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.commands().publish(channel, message);
		}
	}

	private static long unlink(RedisConnection connection, List<byte[]> batch) {
		if (batch.isEmpty()) {
			return 0;
		}
		Long count = connection.keyCommands().unlink(batch.toArray(new byte[0][]));
		batch.clear();
		return (count != null) ? count : 0;
	}

}
