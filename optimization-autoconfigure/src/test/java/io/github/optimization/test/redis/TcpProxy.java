package io.github.optimization.test.redis;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A plain TCP relay on a free loopback port in front of one server, for putting
 * connections of the code under test behind it. What the client sends reaches the server
 * at once; what the server sends is passed on in order. It can
 * <ul>
 * <li>{@link #delay(Duration) delay} what the server sends: each chunk read from the
 * server is stamped when it arrives and written to the client once the delay has passed
 * since then, like a slow Redis (or a slow path to it). Pipelined commands overlap, so
 * the delay is added to every response without limiting throughput. A change of the delay
 * applies to what the server sends from then on; a close by the server reaches the client
 * after the delay too;</li>
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
public final class TcpProxy implements AutoCloseable {

	private static final byte[] END = new byte[0];

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

	private volatile long delayNanos;

	private volatile boolean closed;

	/**
	 * A proxy with the system's default socket buffers.
	 * @param host the server's host
	 * @param port the server's port
	 * @throws IOException if no local port can be opened
	 */
	public TcpProxy(String host, int port) throws IOException {
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
	 * @throws IOException if no local port can be opened
	 */
	public TcpProxy(String host, int port, int serverReceiveBuffer) throws IOException {
		this.serverReceiveBuffer = serverReceiveBuffer;
		this.target = new InetSocketAddress(host, port);
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.threads.execute(this::accept);
	}

	/** The loopback port clients connect to. */
	public int port() {
		return this.server.getLocalPort();
	}

	/** Hold back what the server sends from now on for this long. */
	public void delay(Duration delay) {
		this.delayNanos = delay.toNanos();
	}

	/** How long what the server sends now is held back. */
	public Duration delay() {
		return Duration.ofNanos(this.delayNanos);
	}

	/** Links that are open, frozen or not. */
	public long openLinks() {
		return this.links.stream().filter((link) -> !link.isClosed()).count();
	}

	/** Links accepted while connections are held and not released yet. */
	public long heldLinks() {
		return this.links.stream().filter((link) -> link.held && !link.isClosed()).count();
	}

	/** Freeze every link open now; links opened later relay normally. */
	public void freezeExisting() {
		this.links.forEach((link) -> link.frozen = true);
	}

	/**
	 * Stop reading from the server on every link open now (bytes a link was already
	 * waiting for are held, not relayed); links opened later relay normally.
	 */
	public void stallExisting() {
		this.links.forEach((link) -> link.stall(true));
	}

	/** Read from the server again on stalled links. */
	public void resumeStalled() {
		this.links.forEach((link) -> link.stall(false));
	}

	/** From now on, accept connections but relay nothing until {@link #releaseHeld()}. */
	public void holdNewConnections() {
		this.hold = new CountDownLatch(1);
	}

	/** Relay the held connections, and new ones, normally. */
	public void releaseHeld() {
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

	/** Bytes read from the server and when they may be passed on. */
	private record Chunk(byte[] bytes, long dueNanos) {
	}

	private final class Link {

		private final Socket client;

		private final CountDownLatch release;

		private final BlockingQueue<Chunk> responses = new LinkedBlockingQueue<>();

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
				if (TcpProxy.this.serverReceiveBuffer > 0) {
					// Before connecting, so the window is negotiated with it.
					socket.setReceiveBufferSize(TcpProxy.this.serverReceiveBuffer);
				}
				socket.connect(TcpProxy.this.target, 2000);
				this.upstream = socket;
				this.client.setTcpNoDelay(true);
				socket.setTcpNoDelay(true);
				TcpProxy.this.threads.execute(() -> readResponses(socket));
				TcpProxy.this.threads.execute(this::writeResponses);
				forwardRequests(socket);
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

		/** Client to server, at once (or into the void while frozen). */
		private void forwardRequests(Socket socket) {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = this.client.getInputStream();
				OutputStream out = socket.getOutputStream();
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
			close();
		}

		/**
		 * Server to the queue, stamped with the time they may go on; nothing is read
		 * while the link is stalled.
		 */
		private void readResponses(Socket socket) {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = socket.getInputStream();
				int read;
				while (true) {
					awaitNotStalled();
					if ((read = in.read(buffer)) < 0) {
						break;
					}
					// What a read blocked in read() when the link stalled is held too.
					awaitNotStalled();
					this.responses.add(new Chunk(Arrays.copyOf(buffer, read), due()));
				}
			}
			catch (IOException ex) {
				// one side is gone
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				close();
				return;
			}
			this.responses.add(new Chunk(END, due()));
		}

		private long due() {
			return System.nanoTime() + TcpProxy.this.delayNanos;
		}

		/** The queue to the client, each chunk once it is due (dropped while frozen). */
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
					if (!this.frozen) {
						out.write(chunk.bytes());
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
