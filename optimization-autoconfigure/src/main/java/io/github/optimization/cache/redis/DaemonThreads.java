package io.github.optimization.cache.redis;

import java.util.concurrent.ThreadFactory;

/**
 * Threads of the Redis level's background work: daemon threads, so they never keep the
 * JVM alive, named after their job.
 */
final class DaemonThreads {

	private DaemonThreads() {
	}

	/**
	 * A factory of daemon threads with the given name.
	 * @param name the name of every thread it creates
	 * @return the factory
	 */
	static ThreadFactory named(String name) {
		return (runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

}
