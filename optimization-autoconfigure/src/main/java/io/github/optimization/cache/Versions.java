package io.github.optimization.cache;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Change counters of one cache, so a value read from Redis or loaded is installed in L1
 * (and written back) only if nothing changed its key meanwhile. Keys map to one of
 * {@value #STRIPES} stripes by hash; a put or eviction bumps its key's stripe, a clear or
 * an invalidation from another instance bumps the epoch, which stales every ticket. A
 * false conflict (another key of the same stripe changed) only skips an L1 fill: never
 * stale data. Thread-safe; taking a ticket allocates one small object on the miss path
 * only.
 */
final class Versions {

	static final int STRIPES = 1024;

	private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);

	private final AtomicLong epoch = new AtomicLong();

	static int stripe(Object key) {
		int h = (key != null) ? key.hashCode() : 0;
		return (h ^ (h >>> 16)) & (STRIPES - 1);
	}

	Ticket ticket(Object key) {
		int stripe = stripe(key);
		// Read the epoch first: a clear between the two reads then stales the ticket.
		long e = this.epoch.get();
		return new Ticket(stripe, this.stripes.get(stripe), e);
	}

	/** The change counter of the key's stripe (no allocation). */
	long stripeVersion(Object key) {
		return this.stripes.get(stripe(key));
	}

	void keyChanged(Object key) {
		this.stripes.incrementAndGet(stripe(key));
	}

	void allChanged() {
		this.epoch.incrementAndGet();
	}

	/** A snapshot of one key's counters. */
	final class Ticket implements Stamp {

		private final int stripe;

		private final long version;

		private final long epoch;

		Ticket(int stripe, long version, long epoch) {
			this.stripe = stripe;
			this.version = version;
			this.epoch = epoch;
		}

		boolean isValid() {
			return Versions.this.stripes.get(this.stripe) == this.version && Versions.this.epoch.get() == this.epoch;
		}

		@Override
		public boolean isCurrent() {
			return isValid();
		}

		@Override
		public boolean yieldsToFresher() {
			return true;
		}

		/**
		 * Whether no put or eviction of a key of this stripe happened (the epoch aside).
		 */
		boolean isStripeValid() {
			return Versions.this.stripes.get(this.stripe) == this.version;
		}

		/** Whether no clear or invalidation from another instance happened. */
		boolean isEpochValid() {
			return Versions.this.epoch.get() == this.epoch;
		}

	}

}
