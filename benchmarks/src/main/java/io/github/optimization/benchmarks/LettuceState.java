package io.github.optimization.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.optimization.cache.codec.CacheValueCodec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor of an L2 hit: a private Redis, one Lettuce connection (sync API, byte arrays)
 * and a Jackson reader for {@link Product} from the tiered cache's own mapper. Every key
 * holds the plain JSON of its product; the Redis keys are built once, in setup.
 */
@State(Scope.Benchmark)
public class LettuceState {

	private RedisServer redis;

	private RedisClient client;

	private StatefulRedisConnection<byte[], byte[]> connection;

	private RedisCommands<byte[], byte[]> commands;

	private ObjectReader reader;

	private byte[][] keys;

	/** Start Redis, connect, and store every key. */
	@Setup
	public void start() throws IOException {
		this.redis = RedisServer.start();
		this.client = RedisClient.create(RedisURI.create(this.redis.host(), this.redis.port()));
		this.connection = this.client.connect(ByteArrayCodec.INSTANCE);
		this.commands = this.connection.sync();
		ObjectMapper mapper = CacheValueCodec.defaultObjectMapper();
		this.reader = mapper.readerFor(Product.class);
		this.keys = new byte[Workload.KEY_COUNT][];
		for (int i = 0; i < Workload.KEY_COUNT; i++) {
			long id = Workload.FIRST_ID + i;
			this.keys[i] = ("raw:" + id).getBytes(StandardCharsets.UTF_8);
			this.commands.set(this.keys[i], mapper.writeValueAsBytes(Product.of(id)));
		}
		for (int i = 0; i < Workload.KEY_COUNT; i++) {
			long id = Workload.FIRST_ID + i;
			Checks.require(Product.of(id).equals(get(id)), "Redis read back a different value");
		}
		System.out.println("Raw value (JSON): " + this.commands.strlen(this.keys[0]) + " bytes in Redis");
	}

	/**
	 * GET an id's value and decode it.
	 * @param id the id
	 * @return the product
	 */
	Product get(long id) {
		byte[] bytes = this.commands.get(this.keys[Workload.index(id)]);
		try {
			return this.reader.readValue(bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Close the connection and stop Redis. */
	@TearDown
	public void stop() {
		try {
			this.connection.close();
			this.client.shutdown();
		}
		finally {
			this.redis.close();
		}
	}

}
