package io.github.optimization.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} child process for one benchmark trial: started on a free
 * port of 127.0.0.1 with persistence off, ready once it answers PING, killed by
 * {@link #close()} or, if the JVM exits first, by a shutdown hook. A Redis already
 * running on the machine (on 6379 or elsewhere) is never used.
 */
final class RedisServer implements AutoCloseable {

	private static final String HOST = "127.0.0.1";

	private static final long STARTUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

	private static final int ATTEMPTS = 3;

	private final Process process;

	private final int port;

	private final Path directory;

	private final Thread shutdownHook;

	private RedisServer(Process process, int port, Path directory) {
		this.process = process;
		this.port = port;
		this.directory = directory;
		this.shutdownHook = new Thread(process::destroyForcibly, "benchmark-redis-killer");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Start a server and wait until it answers.
	 * @return the running server
	 * @throws IllegalStateException if {@code redis-server} is not on the PATH or does
	 * not start
	 */
	static RedisServer start() {
		Path binary = findOnPath("redis-server");
		IllegalStateException last = null;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			try {
				return start(binary, freePort());
			}
			catch (IllegalStateException ex) {
				// Most likely another process took the port between our probe and the
				// bind.
				last = ex;
			}
		}
		throw last;
	}

	/** The port the server listens on, on 127.0.0.1. */
	int port() {
		return this.port;
	}

	/** The host the server listens on. */
	String host() {
		return HOST;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is already shutting down; the hook runs anyway
		}
		deleteDirectory(this.directory);
	}

	private static RedisServer start(Path binary, int port) {
		Path directory;
		try {
			directory = Files.createTempDirectory("benchmark-redis-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a working directory for redis-server", ex);
		}
		Path log = directory.resolve("redis.log");
		Process process;
		try {
			process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", HOST,
					"--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", directory.toString()))
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
		}
		catch (IOException ex) {
			deleteDirectory(directory);
			throw new IllegalStateException("Could not run " + binary + ": " + ex.getMessage(), ex);
		}
		RedisServer server = new RedisServer(process, port, directory);
		long deadline = System.nanoTime() + STARTUP_TIMEOUT_NANOS;
		while (!server.answersPing()) {
			if (!process.isAlive() || System.nanoTime() - deadline > 0) {
				String why = process.isAlive() ? " within 10s" : " (it exited)";
				String output = read(log);
				server.close();
				throw new IllegalStateException(
						"redis-server did not answer PING on " + HOST + ":" + port + why + ". Its output:\n" + output);
			}
			sleep(20);
		}
		return server;
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, this.port), 200);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = 0;
			while (read < reply.length) {
				int n = in.read(reply, read, reply.length - read);
				if (n < 0) {
					break;
				}
				read += n;
			}
			return "+PONG\r\n".equals(new String(reply, 0, read, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Path findOnPath(String name) {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				if (entry.isEmpty()) {
					continue;
				}
				Path candidate = Path.of(entry, name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		throw new IllegalStateException(name + " is not on the PATH. The Redis benchmarks start their own " + name
				+ " on a free port; install it (Debian/Ubuntu: apt-get install redis-server, "
				+ "macOS: brew install redis) or run only the in-process benchmarks, e.g. "
				+ "java -jar benchmarks/target/benchmarks.jar '\\.l1_'");
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port", ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	private static void deleteDirectory(Path directory) {
		try (var files = Files.list(directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(directory);
		}
		catch (IOException ex) {
			// a leftover temporary directory is harmless
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for redis-server", ex);
		}
	}

}
