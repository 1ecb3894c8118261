package io.github.optimization.cache;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * An executor that only queues: a test runs the queued tasks when it chooses, so
 * background work happens at a known point. Thread-safe.
 */
final class ManualExecutor implements Executor {

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
	}

	/** How many tasks wait to be run. */
	int pending() {
		return this.tasks.size();
	}

	/** Run the queued tasks, and those they queue, on the calling thread. */
	void runAll() {
		Runnable task;
		while ((task = this.tasks.poll()) != null) {
			task.run();
		}
	}

}
