package io.github.optimization.cache;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The loads (and refreshes) of one cache running in this JVM, one {@link Flight} per key,
 * with the change counters ({@link Versions}) that keep a value read or loaded while its
 * key changed from being installed. Every change of a key goes through here, so it stales
 * both the tickets and the flights of the key. Thread-safe.
 */
final class Flights {

	private final ConcurrentHashMap<Object, Flight> running = new ConcurrentHashMap<>();

	private final Versions versions = new Versions();

	/**
	 * Per stripe, how many flights ended: with the stripe's change counter, what a read
	 * that looked before registering its flight checks to know whether it must look
	 * again.
	 */
	private final AtomicLongArray landings = new AtomicLongArray(Versions.STRIPES);

	Versions versions() {
		return this.versions;
	}

	/** A snapshot of a key's change counters, taken before reading it. */
	Versions.Ticket ticket(Object key) {
		return this.versions.ticket(key);
	}

	/**
	 * A number that changes whenever a flight of a key of the key's stripe ends or such a
	 * key is put or evicted. Allocates nothing.
	 */
	long activity(Object key) {
		return this.versions.stripeVersion(key) + this.landings.get(Versions.stripe(key));
	}

	/**
	 * Put a flight in the map unless one runs for the key.
	 * @return the running flight, or {@code null} if this one is registered
	 */
	Flight register(Object key, Flight flight) {
		Flight running = this.running.putIfAbsent(key, flight);
		if (running == null) {
			flight.registered();
		}
		return running;
	}

	/** Whether a flight of the key runs. */
	boolean isRunning(Object key) {
		return this.running.containsKey(key);
	}

	/**
	 * End a flight: counted as landed first, so a read that registers after it is gone
	 * sees that it must look again.
	 */
	void land(Object key, Flight flight) {
		this.landings.incrementAndGet(Versions.stripe(key));
		this.running.remove(key, flight);
	}

	/**
	 * Marks the key changed: stales tickets and flights, and later callers start afresh.
	 */
	void keyChanged(Object key) {
		this.versions.keyChanged(key);
		Flight flight = this.running.remove(key);
		if (flight != null) {
			flight.invalidated = true;
		}
	}

	/** Stales every ticket not yet in a flight (flights are staled by name). */
	void epochChanged() {
		this.versions.allChanged();
	}

	/** Marks every key changed: stales every ticket and flight. */
	void allChanged() {
		this.versions.allChanged();
		this.running.values().removeIf((flight) -> {
			flight.invalidated = true;
			return true;
		});
	}

	/**
	 * Marks a key known by its digest changed (another instance's invalidation): a read
	 * racing it cannot be matched by digest cheaply, so every ticket is staled, and the
	 * flights of the digest.
	 */
	void digestChanged(String digest) {
		this.versions.allChanged();
		this.running.forEach((key, flight) -> {
			if (digest.equals(flight.digest)) {
				flight.invalidated = true;
				this.running.remove(key, flight);
			}
		});
	}

	/**
	 * End the background refreshes that will not run any more: callers waiting for them
	 * load themselves.
	 */
	void abandonBackground() {
		this.running.forEach((key, flight) -> {
			if (flight.background && this.running.remove(key, flight)) {
				flight.abandon();
			}
		});
	}

}
