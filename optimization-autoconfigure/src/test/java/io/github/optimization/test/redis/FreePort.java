package io.github.optimization.test.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Picks a TCP port on the loopback interface that nothing listens on right now.
 *
 * <p>
 * Contract: the port was free when this method returned; another process may take it
 * before the caller binds it, so callers retry with a new port when their bind fails.
 * Never returns Redis's default port 6379, so a harness can never land on a shared
 * server.
 */
final class FreePort {

	private static final int REDIS_DEFAULT_PORT = 6379;

	private FreePort() {
	}

	/** A currently free port on {@code 127.0.0.1}, never 6379. */
	static int find() {
		while (true) {
			try (ServerSocket socket = new ServerSocket()) {
				socket.bind(new InetSocketAddress(InetAddress.getByName(RedisServerProcess.HOST), 0));
				int port = socket.getLocalPort();
				if (port != REDIS_DEFAULT_PORT) {
					return port;
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("could not find a free port on " + RedisServerProcess.HOST, ex);
			}
		}
	}

}
