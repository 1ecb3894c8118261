package io.github.optimization.cache;

/**
 * What a value read or loaded carries to be installed in L1: proof that nothing changed
 * its key since the read or load started. A {@link Versions.Ticket} (a plain read) or a
 * {@link Flight} (a load, or a read with a loader).
 */
interface Stamp {

	/** Whether nothing changed the key since the stamp was taken. */
	boolean isCurrent();

	/**
	 * Whether a value with this stamp gives way to a fresher timed entry L1 holds already
	 * (a plain fill that read Redis before a refresh stored a newer value).
	 */
	boolean yieldsToFresher();

}
