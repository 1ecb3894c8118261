package io.github.optimization.cache.coherence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A plain TCP relay on a free loopback port in front of one server, for putting a single
 * connection of the code under test behind it. It can
 * <ul>
 * <li>{@link #freezeExisting() freeze} the links open now: from then on they forward nothing
 * in either direction (what arrives is read and discarded, so the peers' TCP stacks stay
 * happy and neither side notices), like a half-dead NAT entry or a hung middlebox; a link
 * opened later relays normally; a frozen link is closed on both sides as soon as either side
 * closes it;</li>
 * <li>{@link #holdNewConnections() hold} new connections: they are accepted but nothing is
 * relayed until {@link #releaseHeld()}, so the client waits in its handshake.</li>
 * </ul>
 * Threads are daemons; {@link #close()} closes every socket.
 */
final class FreezableTcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final List<Link> links = new CopyOnWriteArrayList<>();

	private final ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "test-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private volatile CountDownLatch hold = new CountDownLatch(0);

	private volatile boolean closed;

	FreezableTcpProxy(String host, int port) throws IOException {
		this.target = new InetSocketAddress(host, port);
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.threads.execute(this::accept);
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Links that are open, frozen or not. */
	long openLinks() {
		return this.links.stream().filter((link) -> !link.isClosed()).count();
	}

	/** Links accepted while connections are held and not released yet. */
	long heldLinks() {
		return this.links.stream().filter((link) -> link.held && !link.isClosed()).count();
	}

	/** Freeze every link open now; links opened later relay normally. */
	void freezeExisting() {
		this.links.forEach((link) -> link.frozen = true);
	}

	/** From now on, accept connections but relay nothing until {@link #releaseHeld()}. */
	void holdNewConnections() {
		this.hold = new CountDownLatch(1);
	}

	/** Relay the held connections, and new ones, normally. */
	void releaseHeld() {
		this.hold.countDown();
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
			Link link = new Link(client, this.hold);
			this.links.add(link);
			this.threads.execute(link::start);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		releaseHeld();
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

	private final class Link {

		private final Socket client;

		private final CountDownLatch release;

		private volatile Socket upstream;

		volatile boolean frozen;

		volatile boolean held;

		Link(Socket client, CountDownLatch release) {
			this.client = client;
			this.release = release;
		}

		void start() {
			try {
				this.held = this.release.getCount() > 0;
				this.release.await(30, TimeUnit.SECONDS);
				this.held = false;
				Socket socket = new Socket();
				socket.connect(FreezableTcpProxy.this.target, 2000);
				this.upstream = socket;
				this.client.setTcpNoDelay(true);
				socket.setTcpNoDelay(true);
				FreezableTcpProxy.this.threads.execute(() -> pump(socket, this.client));
				pump(this.client, socket);
			}
			catch (IOException | RuntimeException ex) {
				close();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				close();
			}
		}

		private void pump(Socket from, Socket to) {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					if (!this.frozen) {
						out.write(buffer, 0, read);
						out.flush();
					}
				}
			}
			catch (IOException ex) {
				// one side is gone
			}
			finally {
				close();
			}
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
