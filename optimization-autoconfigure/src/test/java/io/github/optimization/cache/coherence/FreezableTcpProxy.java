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
 * <li>{@link #freezeExisting() freeze} the links open now: from then on they forward
 * nothing in either direction (what arrives is read and discarded, so the peers' TCP
 * stacks stay happy and neither side notices), like a half-dead NAT entry or a hung
 * middlebox; a link opened later relays normally; a frozen link is closed on both sides
 * as soon as either side closes it;</li>
 * <li>{@link #holdNewConnections() hold} new connections: they are accepted but nothing
 * is relayed until {@link #releaseHeld()}, so the client waits in its handshake;</li>
 * <li>{@link #stallExisting() stall} the links open now: from then on nothing more is
 * read from the server on them (what the client sends still goes through), like a client
 * that has stopped reading its socket, so what the server sends piles up in the kernel's
 * buffers and then in the server's output buffer for that client.
 * {@link #resumeStalled()} reads again and passes on what had piled up, and then the
 * server's close, if it closed meanwhile.</li>
 * </ul>
 * Threads are daemons; {@link #close()} closes every socket.
 */
final class FreezableTcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final int serverReceiveBuffer;

	private final List<Link> links = new CopyOnWriteArrayList<>();

	private final ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "test-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private volatile CountDownLatch hold = new CountDownLatch(0);

	private volatile boolean closed;

	FreezableTcpProxy(String host, int port) throws IOException {
		this(host, port, 0);
	}

	/**
	 * A proxy whose sockets to the server have a small receive buffer (SO_RCVBUF), so
	 * that little of what the server sends on a stalled link fits into the kernels'
	 * buffers and the rest piles up in the server's output buffer.
	 * @param host the server's host
	 * @param port the server's port
	 * @param serverReceiveBuffer the receive buffer in bytes, or 0 for the system's
	 * default
	 */
	FreezableTcpProxy(String host, int port, int serverReceiveBuffer) throws IOException {
		this.serverReceiveBuffer = serverReceiveBuffer;
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

	/**
	 * Stop reading from the server on every link open now (bytes a link was already
	 * waiting for are held, not relayed); links opened later relay normally.
	 */
	void stallExisting() {
		this.links.forEach((link) -> link.stall(true));
	}

	/** Read from the server again on stalled links. */
	void resumeStalled() {
		this.links.forEach((link) -> link.stall(false));
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

		private boolean stalled;

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
				if (FreezableTcpProxy.this.serverReceiveBuffer > 0) {
					// Before connecting, so the window is negotiated with it.
					socket.setReceiveBufferSize(FreezableTcpProxy.this.serverReceiveBuffer);
				}
				socket.connect(FreezableTcpProxy.this.target, 2000);
				this.upstream = socket;
				this.client.setTcpNoDelay(true);
				socket.setTcpNoDelay(true);
				FreezableTcpProxy.this.threads.execute(() -> pump(socket, this.client, true));
				pump(this.client, socket, false);
			}
			catch (IOException | RuntimeException ex) {
				close();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				close();
			}
		}

		synchronized void stall(boolean stall) {
			this.stalled = stall;
			notifyAll();
		}

		private synchronized void awaitNotStalled() throws InterruptedException {
			while (this.stalled && !isClosed()) {
				wait(100);
			}
		}

		private void pump(Socket from, Socket to, boolean fromServer) {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				int read;
				while (true) {
					if (fromServer) {
						awaitNotStalled();
					}
					if ((read = in.read(buffer)) < 0) {
						break;
					}
					if (fromServer) {
						// What a read blocked in read() when the link stalled is held
						// too.
						awaitNotStalled();
					}
					if (!this.frozen) {
						out.write(buffer, 0, read);
						out.flush();
					}
				}
			}
			catch (IOException ex) {
				// one side is gone
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
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
