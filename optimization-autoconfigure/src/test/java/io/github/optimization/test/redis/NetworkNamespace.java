package io.github.optimization.test.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A private network namespace joined to this host by a veth pair, for tests that must
 * drop packets without touching the host's own firewall. The namespace's end of the pair
 * has {@link #address()} and the host's end {@link #hostAddress()}, the two addresses of
 * a /30 in 10.213.0.0/16 chosen at random among those not in use on this host; nothing is
 * routed beyond the pair, so traffic to {@link #address()} never leaves the machine.
 * {@link #dropTcpPort(int)} adds iptables rules <em>inside</em> the namespace that
 * silently drop (no reset, no ICMP) every TCP segment to and from a port there, in both
 * directions; {@link #restoreTcpPort(int)} removes them.
 *
 * <p>
 * <b>Root only.</b> {@link #unavailableReason()} says why it cannot run here (not Linux,
 * not root, {@code ip} or {@code iptables} missing); callers skip on that reason. Once
 * those hold, a failure to set up is an error, not a skip.
 *
 * <p>
 * <b>No leftovers.</b> Names are unique per instance (random suffix). Before creating
 * anything a watchdog shell starts and waits on a pipe from this JVM; when
 * {@link #close()} closes the pipe or the JVM dies in any way (even SIGKILL), it deletes
 * the namespace and the host's end of the pair, by their names, which no one else uses.
 * The iptables rules live in the namespace and go with it. Processes started in the
 * namespace are their starter's to kill (a namespace outlives its deletion until its last
 * process ends, then it and the pair vanish).
 */
final class NetworkNamespace implements AutoCloseable {

	/** Addresses are taken from this /16, a /30 at a time. */
	private static final String PREFIX = "10.213.";

	private static final long COMMAND_TIMEOUT_SECONDS = 10;

	private static final String[] SBIN = { "/usr/sbin", "/sbin", "/usr/local/sbin" };

	/**
	 * Arguments: $1 the ip binary, $2 the namespace, $3 the host's end of the pair.
	 * Prints "ready", then waits for end of file on its input (or a signal), then deletes
	 * both.
	 */
	private static final String WATCHDOG_SCRIPT = String.join("\n", "ip=$1; ns=$2; link=$3",
			"cleanup() { \"$ip\" netns del \"$ns\" 2>/dev/null; \"$ip\" link del \"$link\" 2>/dev/null; }",
			"trap 'cleanup; exit 0' HUP INT TERM", "echo ready", "read -r _ignored", "cleanup", "exit 0");

	private static final Set<NetworkNamespace> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime()
			.addShutdownHook(
					new Thread(() -> List.copyOf(LIVE).forEach(NetworkNamespace::close), "netns-harness-reaper"));
	}

	private final Path ip;

	private final Path iptables;

	private final String name;

	private final String hostLink;

	private final String namespaceLink;

	private final String hostAddress;

	private final String address;

	private Process watchdog;

	private boolean closed;

	private NetworkNamespace(Path ip, Path iptables, String id, String hostAddress, String address) {
		this.ip = ip;
		this.iptables = iptables;
		this.name = "optbh-" + id;
		this.hostLink = "obh" + id + "h";
		this.namespaceLink = "obh" + id + "n";
		this.hostAddress = hostAddress;
		this.address = address;
	}

	/**
	 * Why a namespace cannot be made here, or {@code null} if it can be tried: Linux,
	 * root, and {@code ip} and {@code iptables} found on {@code PATH} or in the sbin
	 * directories.
	 */
	static String unavailableReason() {
		if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
			return "the blackhole tests need Linux network namespaces (os.name=" + System.getProperty("os.name") + ")";
		}
		Long uid = effectiveUid();
		if (uid == null || uid != 0) {
			return "the blackhole tests need root (network namespace, veth pair, iptables); running as uid " + uid;
		}
		if (tool("ip") == null) {
			return "the blackhole tests need 'ip' (Debian: apt-get install iproute2)";
		}
		if (tool("iptables") == null) {
			return "the blackhole tests need 'iptables' (Debian: apt-get install iptables)";
		}
		return null;
	}

	/**
	 * Creates a namespace and its veth pair, up and addressed.
	 * @throws IllegalStateException if {@link #unavailableReason()} is not {@code null}
	 * or a step fails (everything created so far is deleted first)
	 */
	static NetworkNamespace create() {
		String reason = unavailableReason();
		if (reason != null) {
			throw new IllegalStateException(reason);
		}
		Path ip = tool("ip");
		Path iptables = tool("iptables");
		String inUse = run(ip.toString(), "-4", "-o", "addr", "show");
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int attempt = 0; attempt < 20; attempt++) {
			String subnet = PREFIX + random.nextInt(256) + ".";
			int base = 4 * random.nextInt(64);
			String hostAddress = subnet + (base + 1);
			String address = subnet + (base + 2);
			if (inUse.contains(" " + hostAddress + "/") || inUse.contains(" " + address + "/")) {
				continue;
			}
			byte[] id = new byte[3];
			random.nextBytes(id);
			NetworkNamespace namespace = new NetworkNamespace(ip, iptables, HexFormat.of().formatHex(id), hostAddress,
					address);
			namespace.setUp();
			return namespace;
		}
		throw new IllegalStateException("no free /30 in " + PREFIX + "0.0/16 after 20 tries");
	}

	private void setUp() {
		startWatchdog();
		LIVE.add(this);
		try {
			String ipPath = this.ip.toString();
			run(ipPath, "netns", "add", this.name);
			run(ipPath, "link", "add", this.hostLink, "type", "veth", "peer", "name", this.namespaceLink, "netns",
					this.name);
			run(ipPath, "addr", "add", this.hostAddress + "/30", "dev", this.hostLink);
			run(ipPath, "link", "set", this.hostLink, "up");
			run(ipPath, "-n", this.name, "addr", "add", this.address + "/30", "dev", this.namespaceLink);
			run(ipPath, "-n", this.name, "link", "set", this.namespaceLink, "up");
			run(ipPath, "-n", this.name, "link", "set", "lo", "up");
			// iptables works in the namespace (nft backend on Debian 12: a table of its
			// own there)
			run(ipPath, "netns", "exec", this.name, this.iptables.toString(), "-w", "5", "-S");
		}
		catch (RuntimeException ex) {
			close();
			throw new IllegalStateException("could not set up network namespace " + this.name + " (root with "
					+ "CAP_NET_ADMIN and nf_tables are needed; leave these tests out with "
					+ "-DexcludedGroups=fault-root): " + ex.getMessage(), ex);
		}
	}

	private void startWatchdog() {
		try {
			this.watchdog = new ProcessBuilder("sh", "-c", WATCHDOG_SCRIPT, "sh", this.ip.toString(), this.name,
					this.hostLink)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(this.watchdog.getInputStream(), StandardCharsets.US_ASCII));
			String line = CompletableFuture.supplyAsync(() -> {
				try {
					return reader.readLine();
				}
				catch (IOException ex) {
					return null;
				}
			}).get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			if (!"ready".equals(line)) {
				throw new IllegalStateException("the namespace watchdog did not start: " + line);
			}
		}
		catch (IOException | ExecutionException | TimeoutException ex) {
			if (this.watchdog != null) {
				this.watchdog.destroyForcibly();
			}
			throw new IllegalStateException("could not start the namespace watchdog: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.watchdog.destroyForcibly();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** The namespace's name ({@code optbh-} and 6 hex digits). */
	String name() {
		return this.name;
	}

	/**
	 * The address of the namespace's end of the pair: where servers in the namespace
	 * listen.
	 */
	String address() {
		return this.address;
	}

	/**
	 * The address of the host's end of the pair: where connections from this JVM come
	 * from.
	 */
	String hostAddress() {
		return this.hostAddress;
	}

	/**
	 * The command that runs the command given after it inside the namespace, in the same
	 * process.
	 */
	List<String> launcher() {
		return List.of(this.ip.toString(), "netns", "exec", this.name);
	}

	/**
	 * Runs a command inside the namespace and returns its output (stdout and stderr).
	 * @throws IllegalStateException if it fails or takes longer than 10 seconds
	 */
	String exec(String... command) {
		List<String> full = new ArrayList<>(launcher());
		full.addAll(List.of(command));
		return run(full.toArray(String[]::new));
	}

	/**
	 * Drops every TCP segment to and from {@code port} in the namespace, silently: the
	 * peer sees neither a reset nor an ICMP error, and the server in the namespace sees
	 * nothing. Idempotent.
	 */
	void dropTcpPort(int port) {
		for (String[] rule : rules(port)) {
			if (!hasRule(rule)) {
				iptables("-A", rule);
			}
		}
	}

	/** Removes the rules of {@link #dropTcpPort(int)}. Idempotent. */
	void restoreTcpPort(int port) {
		for (String[] rule : rules(port)) {
			while (hasRule(rule)) {
				iptables("-D", rule);
			}
		}
	}

	/** The rules of this namespace's filter table ({@code iptables -S}). */
	String rules() {
		return exec(this.iptables.toString(), "-w", "5", "-S");
	}

	private static List<String[]> rules(int port) {
		String p = Integer.toString(port);
		return List.of(new String[] { "INPUT", "-p", "tcp", "--dport", p, "-j", "DROP" },
				new String[] { "OUTPUT", "-p", "tcp", "--sport", p, "-j", "DROP" });
	}

	private boolean hasRule(String[] rule) {
		List<String> command = new ArrayList<>(launcher());
		command.addAll(List.of(this.iptables.toString(), "-w", "5", "-C"));
		command.addAll(List.of(rule));
		return result(command.toArray(String[]::new)).exitCode() == 0;
	}

	private void iptables(String action, String[] rule) {
		List<String> command = new ArrayList<>(List.of(this.iptables.toString(), "-w", "5", action));
		command.addAll(List.of(rule));
		exec(command.toArray(String[]::new));
	}

	/**
	 * Deletes the namespace and the veth pair (through the watchdog) and waits until both
	 * are gone. Idempotent.
	 * @throws IllegalStateException if either still exists after 10 seconds
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			if (this.watchdog != null) {
				try {
					this.watchdog.getOutputStream().close();
				}
				catch (IOException ex) {
					// closed already: the watchdog has seen end of file anyway
				}
				if (!this.watchdog.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
					this.watchdog.destroyForcibly();
				}
			}
			// The watchdog normally did this; again in case it could not run.
			result(this.ip.toString(), "netns", "del", this.name);
			result(this.ip.toString(), "link", "del", this.hostLink);
			if (exists()) {
				throw new IllegalStateException("network namespace " + this.name + " or link " + this.hostLink
						+ " still exists after close (a process started in it still running?)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while deleting network namespace " + this.name, ex);
		}
		finally {
			LIVE.remove(this);
		}
	}

	/** Whether the namespace or the host's end of the pair still exists. */
	boolean exists() {
		String namespaces = result(this.ip.toString(), "netns", "list").output();
		boolean namespace = namespaces.lines().anyMatch((line) -> line.split(" ")[0].equals(this.name));
		return namespace || result(this.ip.toString(), "link", "show", this.hostLink).exitCode() == 0;
	}

	@Override
	public String toString() {
		return "netns " + this.name + " (" + this.hostAddress + " <-> " + this.address + ")";
	}

	private static Long effectiveUid() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("Uid:")) {
					// real, effective, saved, filesystem
					return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// unknown: treated as not root
		}
		return null;
	}

	/**
	 * An executable named {@code name} on {@code PATH} or in the sbin directories, or
	 * {@code null}.
	 */
	static Path tool(String name) {
		Set<String> directories = new LinkedHashSet<>(
				List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
		directories.addAll(List.of(SBIN));
		for (String directory : directories) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory, name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

	/** Runs a command; its output on success. */
	private static String run(String... command) {
		Result result = result(command);
		if (result.exitCode() != 0) {
			throw new IllegalStateException(
					String.join(" ", command) + " failed (exit " + result.exitCode() + "): " + result.output().strip());
		}
		return result.output();
	}

	private static Result result(String... command) {
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not run " + String.join(" ", command) + ": " + ex.getMessage(), ex);
		}
		try {
			process.getOutputStream().close();
			CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
				try (InputStream in = process.getInputStream()) {
					return new String(in.readAllBytes(), StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					return "";
				}
			});
			if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(
						String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
			}
			return new Result(process.exitValue(), output.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS));
		}
		catch (IOException | ExecutionException | TimeoutException ex) {
			process.destroyForcibly();
			throw new IllegalStateException("could not run " + String.join(" ", command) + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new IllegalStateException("interrupted while running " + String.join(" ", command), ex);
		}
	}

	private record Result(int exitCode, String output) {
	}

}
