package io.github.optimization.test.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One {@code redis-server} child process, started behind a watchdog shell so that it can
 * never outlive the JVM that started it.
 *
 * <p>
 * The JVM starts {@code sh}, which starts {@code redis-server} in the background, prints
 * its pid and then blocks reading its standard input, a pipe whose only writer is this
 * JVM. When the JVM closes the pipe ({@link #kill()}) or dies in any way, even by
 * SIGKILL, the read returns at end of file and the shell SIGKILLs the server, reaps it
 * and removes the server's private directory.
 *
 * <p>
 * Contract: {@link #start} returns only once the server answers PING on its address and
 * port and (when it can tell) is this process; otherwise it kills what it started and
 * throws a {@link StartException} carrying the server's own output. {@link #kill()}
 * returns only once the server process is gone; it is idempotent. The persistence of the
 * server is off ({@code --save "" --appendonly no}) and it works in a private temporary
 * directory.
 */
final class RedisServerProcess {

	/** The only interface the servers listen on. */
	static final String HOST = "127.0.0.1";

	private static final String LOG_FILE = "redis.log";

	/**
	 * Arguments: $1 the server's private directory, then the command that runs the server
	 * (the redis-server binary and its arguments, possibly behind a launcher that execs
	 * it). Only the first line of the shell's output (the pid) goes to the JVM; the
	 * server's stdout and stderr go to the log file (the shell's stderr). The shell waits
	 * for the server after killing it, so the server is reaped (no zombie) and its pid
	 * cannot be reused while the JVM still signals it. SIGKILL also ends a frozen
	 * (SIGSTOPped) server.
	 */
	private static final String WATCHDOG_SCRIPT = String.join("\n", "dir=$1; shift", "\"$@\" >&2 </dev/null &",
			"pid=$!",
			// a signal to the shell (e.g. to the whole process group) interrupts the read
			// below
			"trap 'kill -9 \"$pid\" 2>/dev/null' HUP INT TERM", "echo \"$pid\"", "read -r _ignored",
			"kill -9 \"$pid\" 2>/dev/null", "wait \"$pid\" 2>/dev/null",
			"rm -f \"$dir/" + LOG_FILE + "\" \"$dir/dump.rdb\"", "rmdir \"$dir\" 2>/dev/null", "exit 0");

	private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * Between two polls of a bounded wait: short, so that waits end soon after their
	 * condition.
	 */
	private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final Pattern PROCESS_ID = Pattern.compile("(?m)^process_id:(\\d+)\\s*$");

	private final Process watchdog;

	private final long pid;

	private final String host;

	private final int port;

	private final Path directory;

	private boolean killed;

	private RedisServerProcess(Process watchdog, long pid, String host, int port, Path directory) {
		this.watchdog = watchdog;
		this.pid = pid;
		this.host = host;
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Starts a server on {@code port} and waits until it answers.
	 * @param binary the {@code redis-server} executable
	 * @param port the port to listen on
	 * @param extraArgs more server arguments, appended after the harness's own
	 * @param password the password to AUTH with when the server requires one, or
	 * {@code null}
	 * @param startupTimeout how long to wait for the server to answer
	 * @throws StartException if the server does not answer in time or exits
	 */
	static RedisServerProcess start(Path binary, int port, List<String> extraArgs, String password,
			Duration startupTimeout) {
		return start(List.of(), HOST, binary, port, extraArgs, password, startupTimeout);
	}

	/**
	 * Starts a server that listens on {@code host} only, run through a launcher, and
	 * waits until it answers there.
	 * @param launcher the command that runs the server's command line given after it, in
	 * the same process (it must exec it, as {@code ip netns exec NAME} does), or an empty
	 * list
	 * @param host the address the server binds and the harness connects to
	 * @throws StartException if the server does not answer in time or exits
	 */
	static RedisServerProcess start(List<String> launcher, String host, Path binary, int port, List<String> extraArgs,
			String password, Duration startupTimeout) {
		Path directory;
		try {
			directory = Files.createTempDirectory("redis-harness-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not create a directory for redis-server", ex);
		}
		List<String> command = new ArrayList<>(List.of("sh", "-c", WATCHDOG_SCRIPT, "sh", directory.toString()));
		command.addAll(launcher);
		command.addAll(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", host, "--save", "",
				"--appendonly", "no", "--daemonize", "no", "--dir", directory.toString()));
		command.addAll(extraArgs);
		Process watchdog;
		try {
			watchdog = new ProcessBuilder(command)
				.redirectError(ProcessBuilder.Redirect.appendTo(directory.resolve(LOG_FILE).toFile()))
				.start();
		}
		catch (IOException ex) {
			deleteRecursively(directory);
			throw new StartException("could not start sh to run " + binary + ": " + ex.getMessage(), "", false);
		}
		long pid;
		try {
			pid = readPid(watchdog);
		}
		catch (RuntimeException ex) {
			watchdog.destroyForcibly();
			deleteRecursively(directory);
			throw new StartException("the watchdog shell did not report the pid of redis-server: " + ex.getMessage(),
					"", false);
		}
		RedisServerProcess process = new RedisServerProcess(watchdog, pid, host, port, directory);
		RedisProcessReaper.register(process);
		process.awaitReady(password, startupTimeout);
		return process;
	}

	private static long readPid(Process watchdog) {
		BufferedReader reader = new BufferedReader(
				new InputStreamReader(watchdog.getInputStream(), StandardCharsets.US_ASCII));
		CompletableFuture<String> line = new CompletableFuture<>();
		Thread readerThread = new Thread(() -> {
			try {
				line.complete(reader.readLine());
			}
			catch (IOException | RuntimeException ex) {
				line.completeExceptionally(ex);
			}
		}, "redis-harness-pid-reader");
		readerThread.setDaemon(true);
		readerThread.start();
		try {
			String pid = line.get(10, TimeUnit.SECONDS);
			if (pid == null) {
				throw new IllegalStateException("the shell exited before printing it");
			}
			return Long.parseLong(pid.trim());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
		catch (ExecutionException | TimeoutException | NumberFormatException ex) {
			throw new IllegalStateException(String.valueOf(ex), ex);
		}
	}

	private void awaitReady(String password, Duration startupTimeout) {
		long deadline = System.nanoTime() + startupTimeout.toNanos();
		while (true) {
			String failure = null;
			if (!isRunning()) {
				failure = "redis-server exited during start-up";
			}
			else if (log().contains("Failed listening on port")) {
				failure = "redis-server could not listen on port " + port;
			}
			else if (answersPing(password)) {
				return;
			}
			else if (System.nanoTime() - deadline > 0) {
				failure = "redis-server did not answer PING on " + host + ":" + port + " within " + startupTimeout;
			}
			if (failure != null) {
				String output = log();
				boolean portTaken = output.contains("Address already in use");
				kill();
				throw new StartException(failure, output, portTaken);
			}
			// Harness code, not a test: a short park between polls inside this bounded
			// loop.
			LockSupport.parkNanos(POLL_INTERVAL_NANOS);
		}
	}

	/**
	 * Whether the server answers PING and, when INFO is readable, reports this process's
	 * pid (so a stranger that took the port in a race is not mistaken for this server).
	 */
	private boolean answersPing(String password) {
		try (RespProbe probe = RespProbe.open(host, port, PROBE_TIMEOUT)) {
			String pong = probe.command("PING");
			if (pong.startsWith("-NOAUTH")) {
				if (password == null) {
					// it answers, and without the password INFO cannot confirm whose
					// server it is
					return true;
				}
				String auth = probe.command("AUTH", password);
				if (!"OK".equals(auth)) {
					String output = log();
					kill();
					throw new StartException("redis-server refused the configured password: " + auth, output, false);
				}
				pong = probe.command("PING");
			}
			if (!"PONG".equals(pong)) {
				return false;
			}
			String info = probe.command("INFO", "server");
			Matcher matcher = PROCESS_ID.matcher(info == null ? "" : info);
			return matcher.find() && Long.parseLong(matcher.group(1)) == pid;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** The address the server listens on. */
	String host() {
		return host;
	}

	/** The port the server listens on. */
	int port() {
		return port;
	}

	/** The pid of the {@code redis-server} process. */
	long pid() {
		return pid;
	}

	/** Whether the server process exists (running or frozen) and has not been killed. */
	synchronized boolean isRunning() {
		return !killed && ProcessSignals.isAlive(pid);
	}

	/**
	 * Sends SIGSTOP to the server and waits until it is stopped (where the platform shows
	 * it).
	 * @throws IllegalStateException if the server is not running
	 */
	synchronized void freeze() {
		requireRunning("freeze");
		ProcessSignals.send(pid, "STOP");
		awaitState(() -> ProcessSignals.state(pid).map(state -> state == 'T' || state == 't').orElse(true), "stopped");
	}

	/**
	 * Sends SIGCONT to the server and waits until it is no longer stopped (where the
	 * platform shows it).
	 * @throws IllegalStateException if the server is not running
	 */
	synchronized void resume() {
		requireRunning("resume");
		ProcessSignals.send(pid, "CONT");
		awaitState(() -> ProcessSignals.state(pid).map(state -> state != 'T' && state != 't').orElse(true), "resumed");
	}

	/**
	 * Has the watchdog SIGKILL the server, and waits until the server is gone and its
	 * directory removed. Does nothing if already killed.
	 * @throws IllegalStateException if the server is still alive after the bounded wait
	 */
	synchronized void kill() {
		if (killed) {
			return;
		}
		killed = true;
		try {
			// end of file for the watchdog's "read": it SIGKILLs and reaps the server,
			// then exits
			watchdog.getOutputStream().close();
		}
		catch (IOException ex) {
			// already closed: the watchdog has seen end of file anyway
		}
		boolean exited = waitFor(watchdog, STOP_TIMEOUT);
		if (!exited) {
			// the watchdog has not reaped the server, so the pid is still the server's
			// own
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
			watchdog.destroyForcibly();
		}
		awaitState(() -> !ProcessSignals.isAlive(pid), "killed");
		try {
			watchdog.getInputStream().close();
		}
		catch (IOException ex) {
			// nothing more to read from it
		}
		deleteRecursively(directory);
		RedisProcessReaper.unregister(this);
	}

	/** The server's output so far (its log), at most the last 16 KiB, or {@code ""}. */
	String log() {
		Path log = directory.resolve(LOG_FILE);
		try {
			byte[] bytes = Files.readAllBytes(log);
			int from = Math.max(0, bytes.length - 16 * 1024);
			return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private void requireRunning(String action) {
		if (!isRunning()) {
			throw new IllegalStateException("cannot " + action + " redis-server on port " + port
					+ ": it is not running (killed? call restart())");
		}
	}

	private void awaitState(BooleanSupplier reached, String what) {
		long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
		while (!reached.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(
						"redis-server (pid " + pid + ") was not " + what + " within " + STOP_TIMEOUT);
			}
			// Harness code, not a test: a short park between polls inside this bounded
			// loop.
			LockSupport.parkNanos(POLL_INTERVAL_NANOS);
		}
	}

	private static boolean waitFor(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// a leftover file in the temporary directory is harmless
				}
			});
		}
		catch (IOException ex) {
			// same: best effort
		}
	}

	/**
	 * The server did not start. {@link #portTaken()} tells whether another process had
	 * the port, in which case a new port may succeed.
	 */
	static final class StartException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		private final boolean portTaken;

		StartException(String reason, String serverOutput, boolean portTaken) {
			super(reason + (serverOutput.isBlank() ? " (redis-server printed nothing)"
					: "\n--- redis-server output ---\n" + serverOutput.strip() + "\n---"));
			this.portTaken = portTaken;
		}

		boolean portTaken() {
			return portTaken;
		}

	}

}
