package io.github.optimization.test.redis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A JUnit 5 extension that runs a private {@code redis-server} child process, which tests
 * may kill, freeze, resume and restart.
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static RedisServerExtension redis = new RedisServerExtension();
 * </pre>
 *
 * <p>
 * <b>Lifecycle.</b> Registered on a {@code static} field, one server serves the whole
 * class: it starts before all tests and stops after all of them ({@code @Nested} classes
 * share it). Registered on an instance field, each test gets a fresh server, started
 * before and stopped after that test. Outside JUnit, call {@link #start()} and
 * {@link #close()} yourself. One instance is not meant for tests running in parallel.
 *
 * <p>
 * <b>The server.</b> It is the {@code redis-server} found on {@code PATH}, unless the
 * system property {@value RedisServerBinary#BINARY_PROPERTY}, the environment variable
 * {@value RedisServerBinary#BINARY_ENV} or {@link #withServerBinary(String)} names
 * another. If there is none the extension fails (it never skips) and says how to install
 * Redis. It listens on {@code 127.0.0.1} only, on a free port (never 6379), persists
 * nothing ({@code --save "" --appendonly no}) and works in its own temporary directory,
 * so it never sees or touches the data of any other Redis.
 *
 * <p>
 * <b>No leftovers.</b> The extension kills only the processes it started, and none
 * outlives the JVM: each server runs under a watchdog shell that kills it as soon as the
 * JVM is gone, even after a SIGKILL of the JVM; a shutdown hook and {@link #close()} stop
 * it earlier in the normal case.
 *
 * <p>
 * <b>Connections.</b> {@link #admin()} and {@link #adminBytes()} are the harness's own
 * connections (for arranging and checking state), separate from the code under test,
 * which should get its own through {@link #connectionFactory()} (one the tests share,
 * closed with the server), {@link #newConnectionFactory()} or {@link #uri()}.
 */
public final class RedisServerExtension
		implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {

	/** How many new ports to try when another process takes the chosen one first. */
	private static final int PORT_ATTEMPTS = 5;

	private final List<String> extraArgs = new ArrayList<>();

	private String password;

	private String serverBinary;

	private Duration startupTimeout = Duration.ofSeconds(10);

	/** The unique id of the JUnit context that started the server and so must stop it. */
	private String owner;

	private boolean started;

	private Path binary;

	private RedisServerProcess process;

	private AdminConnections admin;

	private LettuceConnectionFactory sharedFactory;

	/** A harness with the default server arguments and no password. */
	public RedisServerExtension() {
	}

	/**
	 * Adds arguments for {@code redis-server}, after the harness's own so they can
	 * override them, e.g. {@code withArgs("--requirepass", "secret")} or
	 * {@code withArgs("--maxmemory", "10mb")}. Do not pass {@code --port},
	 * {@code --bind}, {@code --dir} or {@code --daemonize}: the harness relies on its own
	 * values.
	 * @return this extension
	 * @throws IllegalStateException if the server is already started
	 */
	public RedisServerExtension withArgs(String... args) {
		requireNotStarted();
		for (String arg : args) {
			extraArgs.add(Objects.requireNonNull(arg, "a server argument is null"));
		}
		return this;
	}

	/**
	 * Sets the password that {@link #admin()}, {@link #newConnectionFactory()},
	 * {@link #uri()} and the start-up check use. It does not protect the server: pair it
	 * with {@code withArgs("--requirepass", password)}.
	 * @return this extension
	 * @throws IllegalStateException if the server is already started
	 */
	public RedisServerExtension withPassword(String password) {
		requireNotStarted();
		this.password = password;
		return this;
	}

	/**
	 * Names the {@code redis-server} executable: a path, or a name looked up on
	 * {@code PATH}. It wins over the system property and the environment variable.
	 * @return this extension
	 * @throws IllegalStateException if the server is already started
	 */
	public RedisServerExtension withServerBinary(String binary) {
		requireNotStarted();
		this.serverBinary = binary;
		return this;
	}

	/**
	 * Sets how long a start or restart may wait for the server to answer PING (default 10
	 * s).
	 * @return this extension
	 * @throws IllegalStateException if the server is already started
	 */
	public RedisServerExtension withStartupTimeout(Duration timeout) {
		requireNotStarted();
		this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
		return this;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		startFor(context);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		startFor(context);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		stopFor(context);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stopFor(context);
	}

	/**
	 * Starts the server unless it already is, and remembers which JUnit context must stop
	 * it.
	 */
	private synchronized void startFor(ExtensionContext context) {
		if (!started) {
			start();
			owner = context.getUniqueId();
		}
	}

	private synchronized void stopFor(ExtensionContext context) {
		if (started && context.getUniqueId().equals(owner)) {
			close();
		}
	}

	/**
	 * Starts a server on a free port and waits until it answers PING. JUnit calls this;
	 * call it yourself only when using the harness outside JUnit.
	 * @throws IllegalStateException if already started, if {@code redis-server} cannot be
	 * found (the message says how to install it) or if the server does not start (the
	 * message carries the server's output)
	 */
	public synchronized void start() {
		requireNotStarted();
		binary = RedisServerBinary.resolve(serverBinary);
		RedisServerProcess.StartException last = null;
		for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
			try {
				process = RedisServerProcess.start(binary, FreePort.find(), extraArgs, password, startupTimeout);
				started = true;
				return;
			}
			catch (RedisServerProcess.StartException ex) {
				if (!ex.portTaken()) {
					throw ex;
				}
				last = ex;
			}
		}
		throw last;
	}

	/**
	 * Destroys the {@link #connectionFactory() shared connection factory}, stops the
	 * server (if running), closes the admin connections and forgets the port. Idempotent.
	 * Connection factories from {@link #newConnectionFactory()} are the caller's to
	 * destroy.
	 */
	@Override
	public synchronized void close() {
		try {
			destroySharedFactory();
			if (process != null) {
				process.kill();
			}
		}
		finally {
			if (admin != null) {
				admin.close();
				admin = null;
			}
			process = null;
			started = false;
			owner = null;
		}
	}

	/**
	 * Destroys the shared connection factory, if any; a failure there stops nothing else.
	 */
	private void destroySharedFactory() {
		LettuceConnectionFactory factory = sharedFactory;
		sharedFactory = null;
		if (factory != null) {
			try {
				factory.destroy();
			}
			catch (RuntimeException ex) {
				// the server is stopped anyway
			}
		}
	}

	/** The host the server listens on: always {@code 127.0.0.1}. */
	public String host() {
		return RedisServerProcess.HOST;
	}

	/**
	 * The server's port. It stays the same across {@link #kill()} and {@link #restart()}.
	 * @throws IllegalStateException if the server was never started or has been closed
	 */
	public synchronized int port() {
		return requireProcess().port();
	}

	/**
	 * A Redis URI for this server, e.g. {@code redis://127.0.0.1:40123}, with the
	 * password from {@link #withPassword(String)} as user info
	 * ({@code redis://:secret@127.0.0.1:40123}) when one is set. Suits
	 * {@code spring.data.redis.url}.
	 * @throws IllegalStateException if the server was never started or has been closed
	 */
	public String uri() {
		String userInfo = (password == null) ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
		return "redis://" + userInfo + host() + ":" + port();
	}

	/**
	 * The pid of the current {@code redis-server} process (for the harness's own tests).
	 */
	synchronized long pid() {
		return requireProcess().pid();
	}

	/**
	 * Whether the server process exists (it may be frozen); {@code false} after
	 * {@link #kill()}.
	 */
	public synchronized boolean isRunning() {
		return process != null && process.isRunning();
	}

	/**
	 * SIGKILLs the server and returns once it is gone: connections to the port are
	 * refused from then on, until {@link #restart()}. Does nothing if it is already dead.
	 * @throws IllegalStateException if the server was never started or has been closed
	 */
	public synchronized void kill() {
		requireProcess().kill();
		resetAdmin();
	}

	/**
	 * Sends SIGSTOP to the server and returns once it is stopped: it still accepts TCP
	 * connections (the kernel does) but answers nothing, so clients time out, until
	 * {@link #resume()}.
	 * @throws IllegalStateException if the server is not running
	 */
	public synchronized void freeze() {
		requireProcess().freeze();
	}

	/**
	 * Sends SIGCONT to a frozen server; it then answers again, including the commands
	 * that were waiting. Harmless on a server that is not frozen.
	 * @throws IllegalStateException if the server is not running
	 */
	public synchronized void resume() {
		requireProcess().resume();
	}

	/**
	 * Replaces the server with a fresh, empty one on the same port (new {@code run_id}),
	 * killing the current one first if it is still running or frozen, and returns once
	 * the new one answers PING. {@link #admin()} keeps working; clients of the old server
	 * must reconnect.
	 * @throws IllegalStateException if the harness was never started or has been closed,
	 * or if the new server does not start (the port cannot change, so there is no retry
	 * on another port)
	 */
	public synchronized void restart() {
		RedisServerProcess current = requireProcess();
		current.kill();
		resetAdmin();
		process = RedisServerProcess.start(binary, current.port(), extraArgs, password, startupTimeout);
	}

	/** Deletes every key of every database (FLUSHALL). */
	public void flushAll() {
		admin().flushall();
	}

	/**
	 * The server's {@code run_id} from {@code INFO server}: it changes with every new
	 * server process, so it tells a restarted server from the old one.
	 */
	public String runId() {
		String runId = RedisInfo.field(admin().info("server"), "run_id");
		if (runId == null) {
			throw new IllegalStateException("INFO server has no run_id");
		}
		return runId;
	}

	/**
	 * How many times the server has executed {@code command} since it started (or since
	 * {@link #resetCommandStats()}), from {@code INFO commandstats}; 0 if never.
	 * Case-insensitive; a subcommand is written with a bar, e.g.
	 * {@code "client|setinfo"}. The harness's own INFO calls count as {@code info}.
	 */
	public long commandCount(String command) {
		String stats = admin().info("commandstats");
		return RedisInfo.commandCalls(stats, command.toLowerCase(Locale.ROOT));
	}

	/** Sets every command count back to 0 ({@code CONFIG RESETSTAT}). */
	public void resetCommandStats() {
		admin().configResetstat();
	}

	/**
	 * Commands on the harness's own connection, with String keys and values, separate
	 * from the code under test. The returned object may be kept: it keeps working across
	 * {@link #restart()} (it reconnects). Connecting and each command time out after 2
	 * seconds, so a frozen server makes calls fail instead of hang; on a killed server
	 * they fail at once. Connection state such as {@code SELECT} sticks until the next
	 * {@link #kill()} or {@link #restart()}.
	 * @throws IllegalStateException if the server was never started or has been closed
	 */
	public synchronized RedisCommands<String, String> admin() {
		return adminConnections().strings();
	}

	/**
	 * Like {@link #admin()} but with raw byte[] keys and values, e.g. to plant crafted
	 * bytes where the code under test expects an encoded value.
	 * @throws IllegalStateException if the server was never started or has been closed
	 */
	public synchronized RedisCommands<byte[], byte[]> adminBytes() {
		return adminConnections().bytes();
	}

	/**
	 * The connection factory the tests share while this server runs: made by
	 * {@link #newConnectionFactory()} on first use and destroyed by {@link #close()}, so
	 * the caller must not destroy it. With the extension on a {@code static} field, a
	 * test class may take it in a field initializer, as the server is started before any
	 * test instance is made.
	 * @throws IllegalStateException if the server was never started or has been closed
	 */
	public synchronized LettuceConnectionFactory connectionFactory() {
		requireProcess();
		if (sharedFactory == null) {
			sharedFactory = newConnectionFactory();
		}
		return sharedFactory;
	}

	/**
	 * A new, started Spring Data Redis connection factory for this server, with a 2
	 * second command timeout and the password of {@link #withPassword(String)}. The
	 * caller owns it and must {@link LettuceConnectionFactory#destroy() destroy()} it
	 * (e.g. in {@code @AfterEach}); it does not follow a {@link #restart()} by itself
	 * beyond Lettuce's own reconnection.
	 * @throws IllegalStateException if the server was never started or has been closed
	 */
	public LettuceConnectionFactory newConnectionFactory() {
		return newConnectionFactory(builder -> {
		});
	}

	/**
	 * Like {@link #newConnectionFactory()}, letting the caller adjust the client
	 * configuration first, e.g.
	 * {@code builder -> builder.commandTimeout(Duration.ofMillis(200))}. The caller owns
	 * the factory and must destroy it.
	 * @throws IllegalStateException if the server was never started or has been closed
	 */
	public LettuceConnectionFactory newConnectionFactory(Consumer<LettuceClientConfigurationBuilder> customizer) {
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(host(), port());
		if (password != null) {
			server.setPassword(RedisPassword.of(password));
		}
		LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
			.commandTimeout(AdminConnections.TIMEOUT);
		customizer.accept(client);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(server, client.build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private AdminConnections adminConnections() {
		RedisServerProcess current = requireProcess();
		if (admin == null) {
			admin = new AdminConnections(host(), current.port(), password);
		}
		return admin;
	}

	private void resetAdmin() {
		if (admin != null) {
			admin.reset();
		}
	}

	private RedisServerProcess requireProcess() {
		if (process == null) {
			throw new IllegalStateException("the Redis server is not started: register RedisServerExtension with "
					+ "@RegisterExtension, or call start()");
		}
		return process;
	}

	private void requireNotStarted() {
		if (started) {
			throw new IllegalStateException("the Redis server is already started");
		}
	}

}
