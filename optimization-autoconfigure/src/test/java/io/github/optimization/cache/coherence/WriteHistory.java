package io.github.optimization.cache.coherence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * The soak test's "database" and the history of every write to it. Each key holds a
 * version; a write gives its key the next value of one global counter, so versions are
 * unique across keys and a newer write has a larger version. Writes of one key are
 * serialized by a lock held around the database update <em>and</em> the cache operation,
 * so the order of a key's writes, of their versions and of their acknowledgements is one
 * and the same, and "the last write acknowledged before a read started" is well defined.
 * Reads of the database (the loaders) are lock-free. Thread-safe; the history is meant to
 * be examined once the writers have stopped.
 */
final class WriteHistory {

	/** What a writer did after updating the database. */
	enum Op {

		INITIAL, PUT, EVICT

	}

	/**
	 * One write: which key, which version, who wrote it, when it changed the database,
	 * and when the writer had both updated the database and seen its cache operation
	 * return ({@link Long#MAX_VALUE} if the cache operation threw: never acknowledged).
	 */
	record Write(int key, long version, String writer, Op op, long dbNanos, long ackNanos) {
	}

	/** One loader call: what the database held for the key when the loader read it. */
	record Load(int key, long version, String instance, long atNanos) {
	}

	private final AtomicLong versions = new AtomicLong();

	private final ConcurrentHashMap<Integer, Long> database = new ConcurrentHashMap<>();

	private final ReentrantLock[] locks;

	/** Per key, its writes in version order; each list is guarded by the key's lock. */
	private final List<List<Write>> writes;

	private final ConcurrentLinkedQueue<Load> loads = new ConcurrentLinkedQueue<>();

	WriteHistory(int keys, long startNanos) {
		this.locks = new ReentrantLock[keys];
		this.writes = new ArrayList<>(keys);
		for (int key = 0; key < keys; key++) {
			this.locks[key] = new ReentrantLock();
			long version = this.versions.incrementAndGet();
			this.database.put(key, version);
			this.writes.add(new ArrayList<>(List.of(new Write(key, version, "-", Op.INITIAL, startNanos, startNanos))));
		}
	}

	int keys() {
		return this.locks.length;
	}

	/** The current version of a key (what a loader returns), remembering the call. */
	long load(int key, String instance) {
		long version = this.database.get(key);
		this.loads.add(new Load(key, version, instance, System.nanoTime()));
		return version;
	}

	/** The current version of a key, without recording a load. */
	long current(int key) {
		return this.database.get(key);
	}

	/**
	 * Writes a new version of the key and runs the cache operation with it, both under
	 * the key's lock; the write is acknowledged once the operation has returned.
	 */
	void write(int key, String writer, Op op, LongConsumer cacheOperation) {
		ReentrantLock lock = this.locks[key];
		lock.lock();
		try {
			long version = this.versions.incrementAndGet();
			this.database.put(key, version);
			long changed = System.nanoTime();
			long ack = Long.MAX_VALUE;
			try {
				cacheOperation.accept(version);
				ack = System.nanoTime();
			}
			finally {
				this.writes.get(key).add(new Write(key, version, writer, op, changed, ack));
			}
		}
		finally {
			lock.unlock();
		}
	}

	/** How many writes were made (the initial versions aside). */
	long writeCount() {
		return this.versions.get() - keys();
	}

	/** Whether a version was ever written for the key. */
	boolean exists(int key, long version) {
		List<Write> history = this.writes.get(key);
		int index = firstAtLeast(history, version);
		return index < history.size() && history.get(index).version() == version;
	}

	/**
	 * The earliest write of the key newer than the version and acknowledged before an
	 * instant, or {@code null} if there is none. A key's acknowledgements are in version
	 * order, apart from writes never acknowledged, which are skipped.
	 */
	Write firstNewerAckedBefore(int key, long version, long beforeNanos) {
		List<Write> history = this.writes.get(key);
		for (int index = firstAtLeast(history, version + 1); index < history.size(); index++) {
			Write write = history.get(index);
			if (write.ackNanos() < beforeNanos) {
				return write;
			}
			if (write.ackNanos() != Long.MAX_VALUE) {
				return null;
			}
		}
		return null;
	}

	/**
	 * The key's writes acknowledged between two instants ({@code Long.MAX_VALUE}: never).
	 */
	List<Write> between(int key, long fromNanos, long toNanos) {
		return this.writes.get(key)
			.stream()
			.filter((w) -> w.ackNanos() >= fromNanos && w.ackNanos() <= toNanos)
			.toList();
	}

	/** The loader calls of a key that returned a version. */
	List<Load> loadsOf(int key, long version) {
		return this.loads.stream().filter((load) -> load.key() == key && load.version() == version).toList();
	}

	private static int firstAtLeast(List<Write> history, long version) {
		int low = 0;
		int high = history.size();
		while (low < high) {
			int mid = (low + high) >>> 1;
			if (history.get(mid).version() < version) {
				low = mid + 1;
			}
			else {
				high = mid;
			}
		}
		return low;
	}

}
