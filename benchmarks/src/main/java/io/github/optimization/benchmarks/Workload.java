package io.github.optimization.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The keys the benchmarks read, and a per-thread cursor over them.
 *
 * <p>
 * Every benchmark cycles over the same {@value #KEY_COUNT} ids, all loaded during setup,
 * so every measured read is a hit. The ids start at {@value #FIRST_ID}, outside the JDK's
 * cache of small {@code Long}s, so boxing an id allocates as it does for real ids.
 */
@State(Scope.Thread)
public class Workload {

	/** How many distinct keys are read. A power of two. */
	public static final int KEY_COUNT = 1024;

	/** The first id. */
	public static final long FIRST_ID = 1_000_000L;

	private static final AtomicInteger THREADS = new AtomicInteger();

	private int position;

	/** Start each thread at a different key, so two threads do not read in lockstep. */
	@Setup
	public void start() {
		this.position = THREADS.getAndIncrement() * (KEY_COUNT / 2 + 1);
	}

	/**
	 * The next id to read.
	 * @return an id in {@code [FIRST_ID, FIRST_ID + KEY_COUNT)}
	 */
	public long nextId() {
		return FIRST_ID + (this.position++ & (KEY_COUNT - 1));
	}

	/**
	 * The index of an id among the keys.
	 * @param id an id returned by {@link #nextId()}
	 * @return its index in {@code [0, KEY_COUNT)}
	 */
	public static int index(long id) {
		return (int) (id - FIRST_ID);
	}

}
