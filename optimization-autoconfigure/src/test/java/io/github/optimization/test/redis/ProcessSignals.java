package io.github.optimization.test.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Liveness, state and signals of one operating-system process, by pid.
 *
 * <p>
 * Contract: {@link #isAlive(long)} is {@code false} for a process that is gone
 * <em>or</em> is a zombie (dead, not yet reaped); {@link #state(long)} gives the
 * scheduler state letter where the platform exposes it ({@code /proc} on Linux) and is
 * empty elsewhere; {@link #send(long, String)} runs the {@code kill} command and fails
 * loudly if it does not succeed. Callers must only pass pids of processes they started
 * and know to be alive (so not reused).
 */
final class ProcessSignals {

	private static final boolean PROC_FS = Files.isReadable(Path.of("/proc/self/stat"));

	private ProcessSignals() {
	}

	/** Whether the process exists and is not a zombie. */
	static boolean isAlive(long pid) {
		Optional<Character> state = state(pid);
		if (PROC_FS) {
			return state.isPresent() && state.get() != 'Z' && state.get() != 'X';
		}
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

	/**
	 * The state letter of the process ({@code 'R'}, {@code 'S'}, {@code 'T'} for stopped,
	 * {@code 'Z'} for zombie, ...), or empty if the process is gone or the platform has
	 * no {@code /proc}.
	 */
	static Optional<Character> state(long pid) {
		if (!PROC_FS) {
			return Optional.empty();
		}
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// "pid (comm) S ...": comm may contain spaces and parentheses, so look after
			// the last ')'
			int end = stat.lastIndexOf(')');
			return (end >= 0 && end + 2 < stat.length()) ? Optional.of(stat.charAt(end + 2)) : Optional.empty();
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			// the process vanished while being read
			return Optional.empty();
		}
	}

	/**
	 * Sends a signal with the {@code kill} command.
	 * @param signal a signal name without the {@code SIG} prefix, e.g. {@code "STOP"}
	 * @throws IllegalStateException if {@code kill} fails or does not finish within 5
	 * seconds
	 */
	static void send(long pid, String signal) {
		ProcessBuilder builder = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true);
		try {
			Process kill = builder.start();
			kill.getOutputStream().close();
			if (!kill.waitFor(5, TimeUnit.SECONDS)) {
				kill.destroyForcibly();
				throw new IllegalStateException("kill -s " + signal + " " + pid + " did not finish in 5 s");
			}
			String output;
			try (InputStream in = kill.getInputStream()) {
				output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
			}
			if (kill.exitValue() != 0) {
				throw new IllegalStateException(
						"kill -s " + signal + " " + pid + " failed (exit " + kill.exitValue() + "): " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not run kill -s " + signal + " " + pid, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while sending SIG" + signal + " to " + pid, ex);
		}
	}

}
