package io.github.optimization.cache.fault;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Per-call latencies of one phase of a fault test, in nanoseconds, kept in a plain array
 * and sorted on demand. Not thread-safe: one recorder per thread.
 */
final class Latencies {

	private final String name;

	private long[] nanos = new long[1024];

	private int size;

	Latencies(String name) {
		this.name = name;
	}

	void record(long nanos) {
		if (this.size == this.nanos.length) {
			this.nanos = Arrays.copyOf(this.nanos, this.size * 2);
		}
		this.nanos[this.size++] = nanos;
	}

	/** Record the time since {@code startNanos} and return it. */
	long since(long startNanos) {
		long elapsed = System.nanoTime() - startNanos;
		record(elapsed);
		return elapsed;
	}

	long get(int index) {
		return this.nanos[index];
	}

	int count() {
		return this.size;
	}

	/** The value at a percentile (0 < p <= 100), nearest-rank. */
	long percentile(double p) {
		if (this.size == 0) {
			throw new IllegalStateException(this.name + ": no calls recorded");
		}
		long[] sorted = Arrays.copyOf(this.nanos, this.size);
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(p / 100.0 * this.size);
		return sorted[Math.max(0, Math.min(this.size, rank) - 1)];
	}

	long min() {
		if (this.size == 0) {
			throw new IllegalStateException(this.name + ": no calls recorded");
		}
		return Arrays.stream(this.nanos, 0, this.size).min().getAsLong();
	}

	long p50() {
		return percentile(50);
	}

	long p99() {
		return percentile(99);
	}

	long max() {
		return percentile(100);
	}

	/**
	 * A line for the test output, e.g.
	 * {@code hits: n=5000 p50=0.4us p99=1.2us max=35.0us}.
	 */
	String summary() {
		return String.format("%s: n=%d p50=%s p99=%s max=%s", this.name, this.size, format(p50()), format(p99()),
				format(max()));
	}

	static String format(long nanos) {
		if (nanos < TimeUnit.MILLISECONDS.toNanos(1)) {
			return String.format("%.1fus", nanos / 1_000.0);
		}
		return String.format("%.2fms", nanos / 1_000_000.0);
	}

	static long millis(long millis) {
		return TimeUnit.MILLISECONDS.toNanos(millis);
	}

}
