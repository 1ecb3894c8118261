package io.github.optimization.cache.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.fault.FaultFixture.Database;

/**
 * Worker threads running a mix of cache calls (60% reads of 200 hot keys with a loader,
 * 10% reads of new keys, 20% puts, 10% evictions) as fast as they can. Each call is timed
 * while recording is on; anything a call throws is kept.
 */
final class Load {

	private final TieredCache cache;

	private final Database db;

	private final List<Thread> threads = new ArrayList<>();

	private final List<Latencies> latencies = new ArrayList<>();

	private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

	private final AtomicLong calls = new AtomicLong();

	private volatile boolean recording;

	private volatile boolean stopped;

	Load(TieredCache cache, Database db, int threads) {
		this.cache = cache;
		this.db = db;
		for (int i = 0; i < threads; i++) {
			Latencies mine = new Latencies("worker-" + i);
			this.latencies.add(mine);
			Thread thread = new Thread(() -> run(mine), "fault-load-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
		}
	}

	void start() {
		this.threads.forEach(Thread::start);
	}

	void recording(boolean recording) {
		this.recording = recording;
	}

	long calls() {
		return this.calls.get();
	}

	/** Stop the workers and wait for them; they must all finish within 5 seconds. */
	void stop() throws InterruptedException {
		this.stopped = true;
		for (Thread thread : this.threads) {
			thread.join(5_000);
			if (thread.isAlive()) {
				throw new AssertionError(thread.getName() + " did not finish: " + List.of(thread.getStackTrace()));
			}
		}
	}

	List<Throwable> errors() {
		return new ArrayList<>(this.errors);
	}

	/** All recorded calls of all workers; call after {@link #stop()}. */
	Latencies latencies(String name) {
		Latencies all = new Latencies(name);
		for (Latencies one : this.latencies) {
			for (int i = 0; i < one.count(); i++) {
				all.record(one.get(i));
			}
		}
		return all;
	}

	private void run(Latencies mine) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long unique = 0;
		while (!this.stopped) {
			int op = random.nextInt(10);
			String key = (op == 9) ? Thread.currentThread().getName() + "-new-" + unique++ : "k" + random.nextInt(200);
			long start = System.nanoTime();
			try {
				if (op < 6 || op == 9) {
					if (this.cache.get(key, () -> this.db.load(key)) == null) {
						throw new AssertionError("no value for " + key);
					}
				}
				else if (op < 8) {
					this.cache.put(key, "put-" + key);
				}
				else {
					this.cache.evict(key);
				}
			}
			catch (Throwable ex) {
				this.errors.add(ex);
			}
			if (this.recording) {
				mine.since(start);
			}
			this.calls.incrementAndGet();
		}
	}

}
