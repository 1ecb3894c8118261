package io.github.optimization.test.redis;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.function.Supplier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

/**
 * The harness's own Lettuce connections to its server, separate from anything the code
 * under test uses: one {@link RedisClient}, one connection with String keys and values,
 * one with byte[].
 *
 * <p>
 * Contract: {@link #strings()} and {@link #bytes()} return stable command objects that
 * may be kept across {@link #reset()}: each call goes to the current connection, opened
 * on first use and opened again after {@link #reset()} or after it was lost (the client
 * does not reconnect by itself, so commands to a killed server fail at once instead of
 * being queued). Connecting and every command are bounded by {@link #TIMEOUT}, so a
 * frozen server cannot hang a caller.
 */
final class AdminConnections implements AutoCloseable {

	/** Bounds connecting and each command. */
	static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final RedisClient client;

	private final Lazy<String, String> strings;

	private final Lazy<byte[], byte[]> bytes;

	AdminConnections(String host, int port, String password) {
		RedisURI.Builder uri = RedisURI.builder().withHost(host).withPort(port).withTimeout(TIMEOUT);
		if (password != null) {
			uri.withPassword(password.toCharArray());
		}
		this.client = RedisClient.create(uri.build());
		this.client.setOptions(ClientOptions.builder()
			.autoReconnect(false)
			.socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
			.timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
			.build());
		this.strings = new Lazy<>(StringCodec.UTF8);
		this.bytes = new Lazy<>(ByteArrayCodec.INSTANCE);
	}

	/** Commands with String keys and values on the current admin connection. */
	RedisCommands<String, String> strings() {
		return strings.proxy;
	}

	/** Commands with byte[] keys and values on the current admin connection. */
	RedisCommands<byte[], byte[]> bytes() {
		return bytes.proxy;
	}

	/** Closes the current connections; the next command opens new ones. */
	synchronized void reset() {
		strings.close();
		bytes.close();
	}

	@Override
	public synchronized void close() {
		reset();
		client.shutdown(Duration.ZERO, TIMEOUT);
	}

	/** A connection opened on demand, and the proxy that always calls the current one. */
	private final class Lazy<K, V> {

		private final RedisCodec<K, V> codec;

		private final RedisCommands<K, V> proxy;

		private StatefulRedisConnection<K, V> connection;

		@SuppressWarnings("unchecked")
		Lazy(RedisCodec<K, V> codec) {
			this.codec = codec;
			InvocationHandler handler = new ForwardingHandler(this::current);
			this.proxy = (RedisCommands<K, V>) Proxy.newProxyInstance(RedisCommands.class.getClassLoader(),
					new Class<?>[] { RedisCommands.class }, handler);
		}

		private RedisCommands<K, V> current() {
			synchronized (AdminConnections.this) {
				if (connection == null || !connection.isOpen()) {
					close();
					connection = client.connect(codec);
				}
				return connection.sync();
			}
		}

		private void close() {
			if (connection != null) {
				connection.close();
				connection = null;
			}
		}

	}

	/**
	 * Forwards each call to the target of the moment; {@link Object} methods stay on the
	 * proxy.
	 */
	private static final class ForwardingHandler implements InvocationHandler {

		private final Supplier<Object> target;

		ForwardingHandler(Supplier<Object> target) {
			this.target = target;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			if (method.getDeclaringClass() == Object.class) {
				switch (method.getName()) {
					case "equals":
						return proxy == args[0];
					case "hashCode":
						return System.identityHashCode(proxy);
					default:
						return "RedisServerExtension admin commands";
				}
			}
			try {
				return method.invoke(target.get(), args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

}
