package io.github.optimization.cache;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.optimization.cache.key.CacheKeyEncoder;

import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * A two-level {@link Cache}: Caffeine in this JVM (L1) in front of Redis shared by every
 * instance (L2).
 *
 * <p>
 * <b>Reads</b> try L1, then L2 (filling L1 for at most the entry's remaining L2 life and
 * at most the L1 lifetime cap), then the loader. {@link #get(Object, Callable)} and
 * {@link #getOrLoad} call the loader once per key per JVM however many threads ask at
 * once (once per key across instances with cluster single flight); a loader failure
 * reaches every waiting caller (wrapped in {@link Cache.ValueRetrievalException}) and
 * nothing is cached; a caller that waited longer than the cache's load-wait timeout loads
 * itself. <b>Writes</b> go to L2, then L1, then are announced to other instances.
 * <b>Evictions</b> remove from L2, then L1, then are announced. A value read or loaded
 * while its key was written, evicted, cleared or invalidated by another instance is
 * returned to its caller but never installed in L1 or written back.
 *
 * <p>
 * Redis failures, timeouts, an open circuit breaker and unreadable bytes never reach the
 * caller: they are counted in {@link #getStatistics()}, logged at a bounded rate, and the
 * call is served from L1 or the loader. Loader exceptions are the caller's business and
 * propagate, unless stale-if-error answers them with a stale value.
 *
 * <p>
 * <b>Stale entries</b> (each optional, per cache): an entry is fresh for its TTL; with
 * stale-while-revalidate or stale-if-error it is kept in both levels for the TTL plus the
 * longer window (its Redis envelope still holds the fresh-until time). Reads with a
 * loader get a stale entry within the stale-while-revalidate window at once while one
 * background load replaces it; with refresh-ahead, a fresh entry close to its expiry is
 * replaced the same way. Reads without a loader ({@link #get(Object)}) see fresh entries
 * only.
 *
 * <p>
 * Thread-safe. Keys must have stable {@code equals}/{@code hashCode} and, with a Redis
 * level, an unambiguous encoding (see {@link CacheKeyEncoder}).
 */
public class TieredCache implements Cache {

	private final String name;

	private final CacheSpec spec;

	private final TieredCacheStatistics stats;

	private final CacheParts parts;

	TieredCache(String name, CacheSpec spec, L2Tier l2, Ticker ticker, Clock clock, Executor maintenanceExecutor,
			Executor asyncExecutor, Executor refreshExecutor, TieredCacheStatistics stats,
			InvalidationPublisher publisher) {
		this.name = name;
		this.spec = spec;
		this.stats = stats;
		this.parts = new CacheParts(name, spec, l2, ticker, clock, maintenanceExecutor, asyncExecutor, refreshExecutor,
				stats, publisher);
	}

	@Override
	public String getName() {
		return this.name;
	}

	/** This cache; the two levels are not exposed. */
	@Override
	public Object getNativeCache() {
		return this;
	}

	/** The settings this cache was built with. */
	public CacheSpec getSpec() {
		return this.spec;
	}

	/** Running counts of hits, misses, loads and Redis calls. */
	public TieredCacheStatistics getStatistics() {
		return this.stats;
	}

	/** Whether a shared (Redis) level backs this cache. */
	public boolean isTwoLevel() {
		return this.parts.l2.isPresent();
	}

	/** The approximate number of entries in the in-process level. */
	public long estimatedL1Size() {
		return this.parts.l1.estimatedSize();
	}

	// ---------------------------------------------------------------- reads

	/**
	 * {@inheritDoc}
	 * <p>
	 * Returns fresh entries only: with stale-while-revalidate or stale-if-error, a stale
	 * entry is a miss here, so the caller's own load replaces it.
	 */
	@Override
	public ValueWrapper get(Object key) {
		L1Entry entry = this.parts.readThrough.fromL1Fresh(key);
		if (entry != null) {
			return entry;
		}
		Object stored = this.parts.reads.read(key, LoadOptions.DEFAULT, this.parts.reads.stampForFill(key), null);
		if (stored == null) {
			this.stats.misses.increment();
			return null;
		}
		return new SimpleValueWrapper(L2Reads.value(stored));
	}

	/**
	 * Look in the in-process level only, counting a hit if found (a miss is counted by
	 * the lookup that follows). Allocates nothing.
	 * @param key the key
	 * @return the entry, or {@code null} if L1 does not hold the key, or holds it stale
	 * or due for a refresh-ahead (which {@link #getOrLoad} then handles)
	 */
	public ValueWrapper getFromL1(Object key) {
		return this.parts.readThrough.fromL1(key);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T get(Object key, Class<T> type) {
		ValueWrapper wrapper = get(key);
		Object value = (wrapper != null) ? wrapper.get() : null;
		if (value != null && type != null && !type.isInstance(value)) {
			throw new IllegalStateException(
					"Cached value is not of required type [" + type.getName() + "]: " + value.getClass().getName());
		}
		return (T) value;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T get(Object key, Callable<T> valueLoader) {
		return (T) getOrLoad(key, valueLoader, LoadOptions.DEFAULT);
	}

	/**
	 * Return the cached value for a key, or load, store and return it. One loader call
	 * per key per JVM: concurrent callers for the same key wait for the first one's
	 * result (for at most the cache's load-wait timeout, after which they load
	 * themselves).
	 * <p>
	 * With stale-while-revalidate, a stale entry within its window is returned at once
	 * and one background load (this caller's loader, on the cache's asynchronous
	 * executor) replaces it; with refresh-ahead, so is a fresh entry close to its expiry.
	 * With stale-if-error, a loader failure is answered with a stale entry within that
	 * window.
	 * @param key the key
	 * @param loader the loader
	 * @param options the TTL, declared type and store condition of this call
	 * @return the value, possibly {@code null}
	 * @throws Cache.ValueRetrievalException if the loader threw; its cause is what the
	 * loader threw
	 */
	public Object getOrLoad(Object key, Callable<?> loader, LoadOptions options) {
		return this.parts.readThrough.getOrLoad(key, loader, options);
	}

	/**
	 * Return the values of several keys, loading those neither level holds with one
	 * loader call: L1 first, then one Redis round trip ({@code MGET}) for the keys L1
	 * missed, then the loader with exactly the keys still missing. Each loaded value is
	 * stored with its own TTL (and jitter), written to Redis in one round trip. A key the
	 * loader does not return (or returns with a {@code null} value) is stored as a cached
	 * {@code null} when the cache caches nulls, so the next call does not ask the loader
	 * for it, and is left out of the result. A value read or loaded for a key that
	 * changed meanwhile is returned but not stored. Redis unusable: the missing keys are
	 * loaded and nothing is written to Redis. There is no single flight between batches
	 * or with {@link #getOrLoad}.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param keys the keys; duplicates are looked up once; no {@code null} element
	 * @param loader loads the missing keys: called at most once, never with an empty set;
	 * keys in its result that it was not asked for are ignored
	 * @param options the TTL, the declared type of each value, and the store condition
	 * @return a new map, in the order of {@code keys}, of the keys with a non-null value
	 * @throws NullPointerException if a key is {@code null}
	 * @throws RuntimeException whatever the loader threw, unchanged
	 */
	public <K, V> Map<K, V> getAll(Collection<? extends K> keys,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> loader, LoadOptions options) {
		return new BatchLoad<K, V>(this.parts, this.stats, this.spec.cacheNulls(), options).run(keys, loader);
	}

	// ---------------------------------------------------------------- writes

	@Override
	public void put(Object key, Object value) {
		put(key, value, LoadOptions.DEFAULT);
	}

	/**
	 * Store a value with per-call options (TTL, declared type). A load of the same key
	 * that is still running will not overwrite it in L1.
	 * @param key the key
	 * @param value the value; {@code null} is stored as a cached null when the cache
	 * caches nulls, and otherwise evicts the key
	 * @param options the TTL and declared type of this call
	 */
	public void put(Object key, Object value, LoadOptions options) {
		if (value == null && !this.spec.cacheNulls()) {
			evict(key);
			return;
		}
		this.parts.writes.put(key, value, options);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A stale entry counts as absent.
	 */
	@Override
	public ValueWrapper putIfAbsent(Object key, Object value) {
		return this.parts.writes.putIfAbsent(key, value);
	}

	// ---------------------------------------------------------------- evictions

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		return this.parts.invalidations.evict(key);
	}

	/**
	 * Evict every string key of this cache that matches a pattern, in both levels (e.g.
	 * {@code user:42:*}). {@code *} matches any run of characters, {@code ?} one
	 * character, {@code \} escapes the next; Redis is walked with SCAN, never KEYS, and
	 * the pattern can never match another cache's keys. Other instances drop their whole
	 * L1 of this cache.
	 * @param keyPattern the pattern
	 * @return how many Redis keys were deleted (-1 if Redis failed)
	 * @throws IllegalArgumentException if the pattern is empty or malformed
	 */
	public long evictMatching(String keyPattern) {
		return this.parts.invalidations.evictMatching(keyPattern);
	}

	@Override
	public void clear() {
		invalidate();
	}

	@Override
	public boolean invalidate() {
		return this.parts.invalidations.invalidate();
	}

	/**
	 * Drop every entry of the in-process level only (the shared level is untouched), and
	 * keep reads and loads still running from installing their values.
	 */
	public void clearL1() {
		this.parts.invalidations.clearL1();
	}

	/**
	 * Apply another instance's change of one key, known by its digest: if this instance
	 * wrote a loaded value of the key back to Redis lately and Redis still holds it, that
	 * write-back landed after the change and is deleted again (and announced, see
	 * {@link InvalidationPublisher#keyDropped}); then the key is dropped from the
	 * in-process level, and reads and loads of it still running here will not install
	 * their values. Does nothing unless the cache applies invalidations (the second part
	 * only with an L1).
	 * @param keyDigest the key's digest
	 */
	public void invalidateL1(String keyDigest) {
		this.parts.invalidations.invalidateL1(keyDigest);
	}

	/**
	 * Undo every load's write-back of the last moments that Redis still holds, and
	 * announce each: called when changes of other instances may have been missed (a lost
	 * message, or a clear of the whole cache elsewhere), after the in-process level was
	 * dropped.
	 */
	public void undoRecentWriteBacks() {
		this.parts.invalidations.undoRecentWriteBacks();
	}

	/**
	 * Drop one key, known by its digest, from the in-process level, and keep reads and
	 * loads of it still running here from installing their values; nothing in Redis
	 * changes. Does nothing unless the cache has an L1 and applies invalidations.
	 * @param keyDigest the key's digest
	 */
	public void dropFromL1(String keyDigest) {
		this.parts.invalidations.dropFromL1(keyDigest);
	}

	/**
	 * Redo in Redis the puts, evictions and clears that did not reach it while it was
	 * unreachable: delete those keys there (or clear this cache there if it failed to
	 * remember them all). Until then Redis is not read for them; once a key is repaired,
	 * reads begun before are staled and this instance's own L1 entry of it is dropped
	 * (the whole L1 of this cache after a clear), so nothing read from Redis before the
	 * repair stays.
	 * @return whether nothing is left to repair
	 */
	boolean repairL2() {
		return this.parts.invalidations.repairL2();
	}

	/** Whether a put, eviction or clear of this cache waits to be repaired in Redis. */
	boolean hasPendingRepairs() {
		return this.parts.invalidations.hasPendingRepairs();
	}

	/**
	 * End the background refreshes that will not run any more (their executor was shut
	 * down): callers waiting for them load themselves.
	 */
	void abandonRefreshes() {
		this.parts.flights.abandonBackground();
	}

	// ---------------------------------------------------------------- asynchronous

	@Override
	public CompletableFuture<?> retrieve(Object key) {
		return this.parts.asyncReadThrough.retrieve(key);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The loader's future is requested on this cache's asynchronous executor after the
	 * Redis level missed; the value is stored there too, never on a Redis client thread.
	 */
	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return retrieve(key, valueLoader, LoadOptions.DEFAULT);
	}

	/**
	 * {@link #retrieve(Object, Supplier)} with per-call options (TTL, declared type,
	 * store condition). Stale entries are handled as by {@link #getOrLoad}.
	 * @param <T> the value type
	 * @param key the key
	 * @param valueLoader supplies the future of the loaded value
	 * @param options the TTL, declared type and store condition of this call
	 * @return the future of the cached or loaded value
	 */
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader,
			LoadOptions options) {
		return this.parts.asyncReadThrough.retrieve(key, valueLoader, options);
	}

	@Override
	public String toString() {
		return "TieredCache[" + this.name + (isTwoLevel() ? ", L1+L2" : ", L1 only") + "]";
	}

}
