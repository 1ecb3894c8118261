package io.github.optimization.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import io.github.optimization.cache.codec.Decoded;

/**
 * One {@link TieredCache#getAll} call, over the cache's parts: L1 for every key, then one
 * Redis round trip ({@code MGET}) for the keys L1 missed, then one loader call with
 * exactly the keys still missing, whose values are stored each with its own TTL (written
 * to Redis in one round trip). Keys the loader does not return are stored as a cached
 * {@code null} when the cache caches nulls, so asking again does not reach the loader.
 * Each key's version ticket is taken before Redis is read: a value read or loaded for a
 * key that changed meanwhile is returned but neither written back nor put in L1. Redis
 * unusable: every missing key is loaded and nothing is written back.
 *
 * <p>
 * No single flight: a batch does not wait for, nor make wait, other loads of its keys.
 * Not thread-safe; one instance per call.
 */
final class BatchLoad<K, V> {

	private final ReadThrough readThrough;

	private final Flights flights;

	private final L2Tier l2;

	private final L2Reads reads;

	private final Lifetimes lifetimes;

	private final Writes writes;

	private final TieredCacheStatistics stats;

	private final boolean cacheNulls;

	private final LoadOptions options;

	/** What is known so far: values, and {@link L1Entry#NULL} for cached nulls. */
	private final Map<K, Object> found = new HashMap<>();

	private final Map<K, Versions.Ticket> tickets = new HashMap<>();

	/** Whether Redis answered, so loaded values may be written back. */
	private boolean l2Usable = true;

	BatchLoad(CacheParts parts, TieredCacheStatistics stats, boolean cacheNulls, LoadOptions options) {
		this.readThrough = parts.readThrough;
		this.flights = parts.flights;
		this.l2 = parts.l2;
		this.reads = parts.reads;
		this.lifetimes = parts.lifetimes;
		this.writes = parts.writes;
		this.stats = stats;
		this.cacheNulls = cacheNulls;
		this.options = options;
	}

	Map<K, V> run(Collection<? extends K> keys,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> loader) {
		Set<K> wanted = new LinkedHashSet<>();
		for (K key : keys) {
			wanted.add(Objects.requireNonNull(key, "keys must not contain null"));
		}
		List<K> missed = new ArrayList<>();
		for (K key : wanted) {
			L1Entry hit = this.readThrough.fromL1(key);
			if (hit != null) {
				this.found.put(key, hit.stored);
			}
			else {
				missed.add(key);
				this.tickets.put(key, this.flights.ticket(key));
			}
		}
		Set<K> missing = readL2(missed);
		if (!missing.isEmpty()) {
			load(missing, loader);
		}
		Map<K, V> result = new LinkedHashMap<>();
		for (K key : wanted) {
			Object value = this.found.get(key);
			if (value != null && value != L1Entry.NULL) {
				result.put(key, cast(value));
			}
		}
		return result;
	}

	/** Reads the keys L1 missed with one MGET; returns those Redis missed too. */
	private Set<K> readL2(List<K> missed) {
		if (missed.isEmpty()) {
			return new LinkedHashSet<>(missed);
		}
		Set<K> missing = new LinkedHashSet<>();
		List<Decoded> values = this.l2.readAll(missed, this.options.type());
		for (int i = 0; i < missed.size(); i++) {
			K key = missed.get(i);
			Decoded decoded = values.get(i);
			if (decoded == L2Tier.UNAVAILABLE) {
				this.l2Usable = false;
				missing.add(key);
			}
			else if (decoded == null) {
				missing.add(key);
			}
			else if (!this.lifetimes.isFreshInRedis(decoded.expiresAtEpochMillis())) {
				// Kept past its TTL for stale-while-revalidate or stale-if-error: a batch
				// reloads it rather than returning it stale.
				missing.add(key);
			}
			else {
				this.stats.l2Hits.increment();
				Object stored = L2Reads.stored(decoded);
				this.reads.fill(key, stored, decoded.expiresAtEpochMillis(), this.tickets.get(key));
				this.found.put(key, stored);
			}
		}
		return missing;
	}

	private void load(Set<K> missing, Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> loader) {
		this.stats.misses.add(missing.size());
		long start = System.nanoTime();
		Map<? extends K, ? extends V> loaded;
		try {
			loaded = loader.apply(Collections.unmodifiableSet(missing));
		}
		catch (RuntimeException | Error ex) {
			this.stats.loadFailures.increment();
			this.stats.loadFailureNanos.add(System.nanoTime() - start);
			throw ex;
		}
		this.stats.loadSuccesses.increment();
		this.stats.loadSuccessNanos.add(System.nanoTime() - start);
		List<K> keys = new ArrayList<>(missing.size());
		List<Object> values = new ArrayList<>(missing.size());
		for (K key : missing) {
			V value = (loaded != null) ? loaded.get(key) : null;
			if (value != null) {
				this.found.put(key, value);
			}
			if ((value != null || this.cacheNulls) && this.options.shouldStore(value)) {
				keys.add(key);
				values.add(value);
			}
		}
		if (!keys.isEmpty()) {
			store(keys, values);
		}
	}

	private void store(List<K> keys, List<Object> values) {
		long[] ttls = new long[keys.size()];
		for (int i = 0; i < ttls.length; i++) {
			ttls[i] = this.lifetimes.ttlMillis(values.get(i), this.options.ttl());
		}
		this.stats.puts.add(keys.size());
		if (this.l2Usable) {
			writeBack(keys, values, ttls);
		}
		for (int i = 0; i < ttls.length; i++) {
			this.writes.installLoaded(keys.get(i), values.get(i), ttls[i], this.tickets.get(keys.get(i)));
		}
	}

	/**
	 * Writes the values of the keys nothing changed, then deletes those changed
	 * meanwhile.
	 */
	private void writeBack(List<K> keys, List<Object> values, long[] ttls) {
		List<K> currentKeys = new ArrayList<>(keys.size());
		List<Object> currentValues = new ArrayList<>(keys.size());
		long[] currentTtls = new long[ttls.length];
		for (int i = 0; i < keys.size(); i++) {
			if (this.tickets.get(keys.get(i)).isValid()) {
				currentTtls[currentKeys.size()] = ttls[i];
				currentKeys.add(keys.get(i));
				currentValues.add(values.get(i));
			}
		}
		if (currentKeys.isEmpty()) {
			return;
		}
		long[] trimmed = java.util.Arrays.copyOf(currentTtls, currentKeys.size());
		long[] lives = new long[trimmed.length];
		for (int i = 0; i < lives.length; i++) {
			lives[i] = this.lifetimes.lifeMillis(trimmed[i]);
		}
		byte[][] written = this.l2.writeAll(currentKeys, currentValues, this.options.type(), trimmed, lives);
		if (written == null) {
			return;
		}
		for (int i = 0; i < currentKeys.size(); i++) {
			K key = currentKeys.get(i);
			if (!this.tickets.get(key).isValid()) {
				// The key changed while we wrote an older value: do not leave it behind.
				this.l2.delete(key);
			}
			else if (written[i] != null) {
				this.writes.wroteBack(key, null, written[i]);
			}
		}
	}

	@SuppressWarnings("unchecked")
	private V cast(Object value) {
		return (V) value;
	}

}
