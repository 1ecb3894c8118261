package io.github.optimization.cache.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A plain TCP relay on a free loopback port in front of one server that holds back
 * everything the server sends for a fixed {@link #delay(Duration) delay}, like a slow
 * Redis (or a slow path to it): each chunk read from the server is stamped when it
 * arrives and written to the client once the delay has passed since then. Requests reach
 * the server at once, and pipelined commands overlap, so the delay is added to every
 * response without limiting throughput; order is kept. A change of the delay applies to
 * what the server sends from then on. A close by the server reaches the client after the
 * delay too.
 * <p>
 * Threads are daemons; {@link #close()} closes every socket.
 */
final class DelayingTcpProxy implements AutoCloseable {

	private static final byte[] END = new byte[0];

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final List<Link> links = new CopyOnWriteArrayList<>();

	private final ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "test-delaying-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private volatile long delayNanos;

	private volatile boolean closed;

	DelayingTcpProxy(String host, int port) throws IOException {
		this.target = new InetSocketAddress(host, port);
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.threads.execute(this::accept);
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Hold back what the server sends from now on for this long. */
	void delay(Duration delay) {
		this.delayNanos = delay.toNanos();
	}

	Duration delay() {
		return Duration.ofNanos(this.delayNanos);
	}

	/** Links that are open. */
	long openLinks() {
		return this.links.stream().filter((link) -> !link.isClosed()).count();
	}

	private void accept() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			Link link = new Link(client);
			this.links.add(link);
			this.threads.execute(link::start);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.server);
		this.links.forEach(Link::close);
		this.threads.shutdownNow();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			if (closeable != null) {
				closeable.close();
			}
		}
		catch (Exception ex) {
			// closing anyway
		}
	}

	/** Bytes read from the server and when they may be passed on. */
	private record Chunk(byte[] bytes, long dueNanos) {
	}

	private final class Link {

		private final Socket client;

		private final BlockingQueue<Chunk> responses = new LinkedBlockingQueue<>();

		private volatile Socket upstream;

		Link(Socket client) {
			this.client = client;
		}

		void start() {
			try {
				Socket socket = new Socket();
				socket.connect(DelayingTcpProxy.this.target, 2000);
				this.upstream = socket;
				this.client.setTcpNoDelay(true);
				socket.setTcpNoDelay(true);
				DelayingTcpProxy.this.threads.execute(() -> readResponses(socket));
				DelayingTcpProxy.this.threads.execute(this::writeResponses);
				forwardRequests(socket);
			}
			catch (IOException | RuntimeException ex) {
				close();
			}
		}

		/** Client to server, at once. */
		private void forwardRequests(Socket socket) {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = this.client.getInputStream();
				OutputStream out = socket.getOutputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side is gone
			}
			close();
		}

		/** Server to the queue, stamped with the time they may go on. */
		private void readResponses(Socket socket) {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = socket.getInputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					this.responses.add(new Chunk(Arrays.copyOf(buffer, read), due()));
				}
			}
			catch (IOException ex) {
				// one side is gone
			}
			this.responses.add(new Chunk(END, due()));
		}

		private long due() {
			return System.nanoTime() + DelayingTcpProxy.this.delayNanos;
		}

		/** The queue to the client, each chunk once it is due. */
		private void writeResponses() {
			try {
				OutputStream out = this.client.getOutputStream();
				while (true) {
					Chunk chunk = this.responses.take();
					long wait;
					while ((wait = chunk.dueNanos() - System.nanoTime()) > 0) {
						LockSupport.parkNanos(wait);
						if (Thread.interrupted()) {
							throw new InterruptedException();
						}
					}
					if (chunk.bytes() == END) {
						break;
					}
					out.write(chunk.bytes());
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side is gone
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			close();
		}

		boolean isClosed() {
			return this.client.isClosed();
		}

		void close() {
			closeQuietly(this.client);
			closeQuietly(this.upstream);
		}

	}

}
