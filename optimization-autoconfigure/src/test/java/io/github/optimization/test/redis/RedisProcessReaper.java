package io.github.optimization.test.redis;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills, when the JVM shuts down normally, every {@link RedisServerProcess} that is still
 * running.
 *
 * <p>
 * This is the second line of defence: the first is the watchdog shell of each process,
 * which also covers a JVM killed with SIGKILL (no shutdown hook runs then). One hook
 * serves all processes, so starting and stopping servers does not pile up hooks.
 */
final class RedisProcessReaper {

	private static final Set<RedisServerProcess> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(RedisProcessReaper::killAll, "redis-harness-reaper"));
	}

	private RedisProcessReaper() {
	}

	/**
	 * Makes the process killed at JVM shutdown unless {@link #unregister} is called
	 * first.
	 */
	static void register(RedisServerProcess process) {
		LIVE.add(process);
	}

	/** Forgets a process that has been stopped. */
	static void unregister(RedisServerProcess process) {
		LIVE.remove(process);
	}

	private static void killAll() {
		for (RedisServerProcess process : List.copyOf(LIVE)) {
			try {
				process.kill();
			}
			catch (RuntimeException ex) {
				// best effort at shutdown: the watchdog still kills the server when this
				// JVM exits
			}
		}
	}

}
