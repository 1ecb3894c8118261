package io.github.optimization.cache.redis;

import io.github.optimization.cache.L2Store;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.types.Expiration;

/**
 * {@link L2Store} over a spring-data-redis {@link RedisConnectionFactory} (Lettuce in
 * practice). A connection is borrowed per operation; with Lettuce's default shared native
 * connection this is a cheap wrapper around one multiplexed socket.
 *
 * <p>
 * {@link #deleteMatching(String)} walks the key space with SCAN in batches of
 * {@value #SCAN_BATCH} and deletes each batch with UNLINK, so clearing a large cache
 * never blocks the server. {@link #getAsync(byte[])} uses the reactive API when the
 * factory offers it (Lettuce does), so it does not block the caller.
 * {@link #setAll(List)} sends its {@code SET}s without waiting for each other's replies
 * (over the reactive API on the shared connection, or a pipeline when the factory has no
 * reactive API), so a batch costs one round trip. {@link #deleteIfEquals(byte[], byte[])}
 * is a Lua compare-and-delete ({@code EVAL}).
 *
 * <p>
 * Thread-safe.
 */
public final class RedisL2Store implements L2Store {

	static final int SCAN_BATCH = 500;

	/** Deletes KEYS[1] only if it holds ARGV[1]; returns how many keys were deleted. */
	private static final byte[] COMPARE_AND_DELETE = ("if redis.call('GET', KEYS[1]) == ARGV[1] then "
			+ "return redis.call('DEL', KEYS[1]) else return 0 end")
		.getBytes(StandardCharsets.UTF_8);

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
	public List<byte[]> getAll(List<byte[]> keys) {
		if (keys.isEmpty()) {
			return List.of();
		}
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			List<byte[]> values = connection.stringCommands().mGet(keys.toArray(new byte[0][]));
			if (values == null || values.size() != keys.size()) {
				throw new IllegalStateException("MGET of " + keys.size() + " keys answered "
						+ ((values != null) ? values.size() + " values" : "nothing"));
			}
			return values;
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
	public void setAll(List<Entry> entries) {
		if (entries.isEmpty()) {
			return;
		}
		if (this.reactiveConnectionFactory == null) {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				connection.openPipeline();
				try {
					for (Entry entry : entries) {
						connection.stringCommands()
							.set(entry.key(), entry.value(), Expiration.milliseconds(entry.ttlMillis()),
									SetOption.upsert());
					}
				}
				finally {
					connection.closePipeline();
				}
			}
			return;
		}
		// Every SET is sent before any reply is awaited: one round trip on the shared
		// connection, with no dedicated connection to open (a pipeline would need one).
		ReactiveRedisConnection connection = this.reactiveConnectionFactory.getReactiveConnection();
		try {
			CompletableFuture<?>[] sets = new CompletableFuture<?>[entries.size()];
			for (int i = 0; i < sets.length; i++) {
				Entry entry = entries.get(i);
				sets[i] = connection.stringCommands()
					.set(ByteBuffer.wrap(entry.key()), ByteBuffer.wrap(entry.value()),
							Expiration.milliseconds(entry.ttlMillis()), SetOption.upsert())
					.toFuture();
			}
			CompletableFuture.allOf(sets).join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
		finally {
			connection.close();
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
	public boolean deleteIfEquals(byte[] key, byte[] expected) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Long deleted = connection.scriptingCommands()
				.eval(COMPARE_AND_DELETE, ReturnType.INTEGER, 1, key, expected);
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
