package io.github.optimization.test.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a private {@code redis-server} inside a network namespace
 * of its own, reached from this JVM through a veth pair, so that a test can cut the
 * network path with a true blackhole: {@link #blackhole()} drops every packet to and from
 * the server's port, in both directions, without a reset or an ICMP error (iptables
 * {@code DROP} rules inside the namespace), until {@link #heal()}. The server and this
 * JVM's kernel each keep their side of the connections and see nothing more, like a
 * failed network path or a dead host.
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * final BlackholeRedisExtension redis = new BlackholeRedisExtension();
 * </pre>
 *
 * <p>
 * <b>Root only.</b> Registered on an instance field, each test gets its own namespace and
 * server. When this JVM is not root on Linux, or {@code ip} or {@code iptables} is
 * missing, the test is <em>skipped</em> through a JUnit assumption that says why. Once
 * those hold, a failure to set up fails the test. A missing {@code redis-server} fails,
 * as with {@link RedisServerExtension}.
 *
 * <p>
 * <b>No leftovers.</b> Names (namespace {@code optbh-xxxxxx}, links
 * {@code obhxxxxxxh}/{@code n}) are unique per test; the server runs under
 * {@link RedisServerProcess}'s watchdog and the namespace under its own, so both go even
 * if the JVM is killed. After each test the server is killed and then the namespace, the
 * pair and the rules in it are deleted. The server listens only on the namespace's
 * address, a private 10.213.x.y/30 that exists only between the pair's ends.
 *
 * <p>
 * <b>Connections.</b> {@link #admin()} and {@link #adminBytes()} are the harness's own
 * connections through the same path: use them before {@link #blackhole()} or after
 * {@link #heal()}, not in between (they would time out). {@link #serverConnections()}
 * reads the server's sockets with {@code ss} inside the namespace, which works while
 * blackholed.
 */
public final class BlackholeRedisExtension implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

	private NetworkNamespace namespace;

	private RedisServerProcess process;

	private AdminConnections admin;

	private volatile boolean blackholed;

	/** Why the blackhole cannot run here (not root, a tool missing), or {@code null}. */
	public static String unavailableReason() {
		return NetworkNamespace.unavailableReason();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		String reason = unavailableReason();
		Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
		start();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		close();
	}

	/**
	 * Creates the namespace and starts the server in it, and waits until it answers PING
	 * from this JVM.
	 * @throws IllegalStateException if already started or if a step fails (what was
	 * created is removed first)
	 */
	public synchronized void start() {
		if (this.namespace != null) {
			throw new IllegalStateException("already started");
		}
		Path binary = RedisServerBinary.resolve(null);
		NetworkNamespace created = NetworkNamespace.create();
		try {
			// The namespace is new: every port in it is free. Not 6379, so a stray client
			// for a
			// default Redis can never land here.
			int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
			this.process = RedisServerProcess.start(created.launcher(), created.address(), binary, port,
					List.of("--protected-mode", "no"), null, STARTUP_TIMEOUT);
			this.namespace = created;
		}
		catch (RuntimeException ex) {
			try {
				created.close();
			}
			catch (RuntimeException cleanup) {
				ex.addSuppressed(cleanup);
			}
			throw ex;
		}
	}

	/**
	 * Kills the server, then deletes the namespace with its links and rules. Idempotent.
	 */
	@Override
	public synchronized void close() {
		try {
			if (this.process != null) {
				this.process.kill();
			}
		}
		finally {
			try {
				if (this.admin != null) {
					this.admin.close();
				}
			}
			finally {
				this.admin = null;
				this.process = null;
				this.blackholed = false;
				if (this.namespace != null) {
					NetworkNamespace closing = this.namespace;
					this.namespace = null;
					closing.close();
				}
			}
		}
	}

	/** The address the server listens on, in the namespace (e.g. {@code 10.213.7.42}). */
	public synchronized String host() {
		return requireNamespace().address();
	}

	/** The address this JVM's connections to {@link #host()} come from. */
	public synchronized String clientHost() {
		return requireNamespace().hostAddress();
	}

	/** The server's port. */
	public synchronized int port() {
		return requireProcess().port();
	}

	/** A Redis URI for the server, e.g. {@code redis://10.213.7.42:23456}. */
	public String uri() {
		return "redis://" + host() + ":" + port();
	}

	/**
	 * Drops every packet to and from the server's port from now on, in both directions,
	 * silently. Idempotent.
	 */
	public synchronized void blackhole() {
		requireNamespace().dropTcpPort(port());
		this.blackholed = true;
	}

	/** Lets packets through again. Idempotent. */
	public synchronized void heal() {
		requireNamespace().restoreTcpPort(port());
		this.blackholed = false;
	}

	/** Whether {@link #blackhole()} is in force. */
	public boolean isBlackholed() {
		return this.blackholed;
	}

	/** The namespace's iptables rules, for reports ({@code iptables -S}). */
	public synchronized String rules() {
		return requireNamespace().rules();
	}

	/**
	 * The server's established TCP connections as seen by the server's kernel, one
	 * {@code local peer} pair of addresses per line, read with {@code ss} in the
	 * namespace (works while blackholed).
	 */
	public synchronized List<String> serverConnections() {
		String output = requireNamespace().exec(ssBinary(), "-H", "-t", "-n", "state", "established",
				"( sport = :" + port() + " )");
		return output.lines().map(String::trim).filter((line) -> !line.isEmpty()).map((line) -> {
			String[] fields = line.split("\\s+");
			return (fields.length >= 4) ? fields[fields.length - 2] + " " + fields[fields.length - 1] : line;
		}).toList();
	}

	/**
	 * The harness's String commands to the server (see the class comment on blackholes).
	 */
	public synchronized RedisCommands<String, String> admin() {
		return adminConnections().strings();
	}

	/**
	 * The harness's byte[] commands to the server (see the class comment on blackholes).
	 */
	public synchronized RedisCommands<byte[], byte[]> adminBytes() {
		return adminConnections().bytes();
	}

	/** How often the server executed {@code command} (INFO commandstats); 0 if never. */
	public long commandCount(String command) {
		return RedisInfo.commandCalls(admin().info("commandstats"), command.toLowerCase(Locale.ROOT));
	}

	/** Sets the server's command counts back to 0. */
	public void resetCommandStats() {
		admin().configResetstat();
	}

	/** The server's pid (for the fixture's own tests). */
	synchronized long pidForTests() {
		return requireProcess().pid();
	}

	/** The namespace (for the fixture's own tests). */
	synchronized NetworkNamespace namespaceForTests() {
		return requireNamespace();
	}

	private AdminConnections adminConnections() {
		RedisServerProcess current = requireProcess();
		if (this.admin == null) {
			this.admin = new AdminConnections(current.host(), current.port(), null);
		}
		return this.admin;
	}

	private static String ssBinary() {
		Path ss = NetworkNamespace.tool("ss");
		if (ss == null) {
			throw new IllegalStateException("'ss' not found (Debian: apt-get install iproute2)");
		}
		return ss.toString();
	}

	private NetworkNamespace requireNamespace() {
		if (this.namespace == null) {
			throw new IllegalStateException("the blackhole fixture is not started: register it with "
					+ "@RegisterExtension on an instance field, or call start()");
		}
		return this.namespace;
	}

	private RedisServerProcess requireProcess() {
		requireNamespace();
		return this.process;
	}

}
