package io.github.optimization.cache;

import io.github.optimization.cache.key.KeyDigest;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.optimization.cache.codec.Decoded;
import io.github.optimization.cache.key.CacheKeyEncoder;
import io.github.optimization.cache.key.KeyPattern;

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

	private final com.github.benmanes.caffeine.cache.Cache<Object, L1Entry> l1;

	private final L2Tier l2;

	private final long l1CapNanos;

	private final long loadWaitNanos;

	private final Executor asyncExecutor;

	/**
	 * Runs background refreshes, which call loaders (and may block as long as they take).
	 */
	private final Executor refreshExecutor;

	private final TieredCacheStatistics stats;

	/**
	 * The rules of stale-while-revalidate, stale-if-error and refresh-ahead; {@code null}
	 * when all three are off, and then every path works as without them.
	 */
	private final Freshness freshness;

	/** Logs background refreshes that failed and stale values served for failed loads. */
	private final OutageLog loaderLog = new OutageLog();

	private final ConcurrentHashMap<Object, Flight> flights = new ConcurrentHashMap<>();

	private final Versions versions = new Versions();

	/**
	 * The lock protocol when a cold key is loaded once across instances, else
	 * {@code null}.
	 */
	private final ClusterFlight clusterFlight;

	private final InvalidationPublisher publisher;

	/** Loaded values written back lately, undone when a change elsewhere raced them. */
	private final RecentWriteBacks writeBacks;

	/**
	 * Digest to key of the entries in L1, kept only when other instances send
	 * invalidations by digest. Changed only under the L1 entry's lock (inside compute or
	 * the eviction listener), so it never misses an entry L1 holds; it may briefly keep a
	 * stale mapping, which costs nothing but a no-op invalidation.
	 */
	private final ConcurrentHashMap<String, Object> keysByDigest;

	TieredCache(String name, CacheSpec spec, L2Tier l2, Ticker ticker, Executor maintenanceExecutor,
			Executor asyncExecutor, Executor refreshExecutor, TieredCacheStatistics stats,
			InvalidationPublisher publisher) {
		this.name = name;
		this.refreshExecutor = refreshExecutor;
		this.spec = spec;
		this.l2 = l2;
		this.stats = stats;
		this.asyncExecutor = asyncExecutor;
		this.publisher = (l2 != null) ? publisher : InvalidationPublisher.NONE;
		this.writeBacks = (this.publisher != InvalidationPublisher.NONE) ? new RecentWriteBacks(ticker)
				: RecentWriteBacks.NONE;
		// Without a shared level there are no peers whose writes L1 could miss, so only
		// the
		// TTL bounds an entry's life.
		this.l1CapNanos = (l2 != null) ? spec.l1Ttl().toNanos() : Long.MAX_VALUE;
		this.loadWaitNanos = spec.loadWaitTimeout().toNanos();
		this.freshness = Freshness.of(spec, ticker);
		this.keysByDigest = (l2 != null && publisher != InvalidationPublisher.NONE && spec.l1Enabled())
				? new ConcurrentHashMap<>() : null;
		this.l1 = spec.l1Enabled() ? buildL1(spec, ticker, maintenanceExecutor, stats, this.keysByDigest) : null;
		this.clusterFlight = (l2 != null && spec.clusterSingleFlight()) ? new ClusterFlight(l2, spec, stats) : null;
	}

	private static com.github.benmanes.caffeine.cache.Cache<Object, L1Entry> buildL1(CacheSpec spec, Ticker ticker,
			Executor executor, TieredCacheStatistics stats, ConcurrentHashMap<String, Object> keysByDigest) {
		return Caffeine.newBuilder()
			.maximumSize(spec.l1MaximumSize())
			.expireAfter(new EntryLife())
			.ticker(ticker)
			.executor(executor)
			.evictionListener((Object key, L1Entry value, RemovalCause cause) -> {
				if (cause == RemovalCause.SIZE) {
					stats.evictions.increment();
				}
				if (keysByDigest != null && value != null && value.digest != null) {
					keysByDigest.remove(value.digest, key);
				}
			})
			.build();
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
		return this.l2 != null;
	}

	/** The approximate number of entries in the in-process level. */
	public long estimatedL1Size() {
		return (this.l1 != null) ? this.l1.estimatedSize() : 0;
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
		if (this.l1 != null) {
			L1Entry entry = this.l1.getIfPresent(key);
			if (entry != null && (this.freshness == null || this.freshness.isFresh(entry))) {
				this.stats.l1Hits.increment();
				return entry;
			}
		}
		Object stored = readL2(key, LoadOptions.DEFAULT, this.versions.ticket(key), null);
		if (stored == null) {
			this.stats.misses.increment();
			return null;
		}
		return new SimpleValueWrapper((stored == L1Entry.NULL) ? null : stored);
	}

	/**
	 * Look in the in-process level only, counting a hit if found (a miss is counted by
	 * the lookup that follows). Allocates nothing.
	 * @param key the key
	 * @return the entry, or {@code null} if L1 does not hold the key, or holds it stale
	 * or due for a refresh-ahead (which {@link #getOrLoad} then handles)
	 */
	public ValueWrapper getFromL1(Object key) {
		if (this.l1 == null) {
			return null;
		}
		L1Entry entry = this.l1.getIfPresent(key);
		if (entry != null) {
			if (this.freshness != null && !this.freshness.isQuiet(entry)) {
				return null;
			}
			this.stats.l1Hits.increment();
		}
		return entry;
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
		L1Entry stale = null;
		if (this.l1 != null) {
			L1Entry entry = this.l1.getIfPresent(key);
			if (entry != null) {
				if (this.freshness == null || this.freshness.isQuiet(entry)) {
					this.stats.l1Hits.increment();
					return entry.get();
				}
				if (servedWhileRefreshing(key, entry, loader, null, options)) {
					return entry.get();
				}
				stale = entry;
			}
		}
		Flight flight = new Flight(digestIfTracking(key), this.versions.ticket(key), true);
		flight.stale = stale;
		Flight running = register(key, flight);
		if (running != null) {
			this.stats.misses.increment();
			try {
				return awaitLeader(running, key, loader);
			}
			catch (TimeoutException ex) {
				// The leader is stuck: do not let it hold this caller too.
				Flight own = new Flight(flight.digest, this.versions.ticket(key), true);
				own.stale = stale;
				try {
					return callLoader(key, loader, options, own);
				}
				catch (ValueRetrievalException failure) {
					return staleOnError(own, failure);
				}
			}
		}
		try {
			Object value = loadThrough(key, loader, options, flight);
			flight.result.complete(value);
			return value;
		}
		catch (ValueRetrievalException ex) {
			try {
				Object value = staleOnError(flight, ex);
				flight.result.complete(value);
				return value;
			}
			catch (ValueRetrievalException failure) {
				flight.result.completeExceptionally(failure);
				throw failure;
			}
		}
		catch (RuntimeException | Error ex) {
			flight.result.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.flights.remove(key, flight);
			if (flight.refreshAfter != null) {
				refresh(key, null, flight.stale, loader, null, options, flight.refreshAfter);
			}
		}
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
		return new BatchLoad<K, V>(this, this.l2, options).run(keys, loader);
	}

	/**
	 * Wait for the leader of a flight for the load-wait timeout; if the leader is waiting
	 * for another instance (cluster single flight), wait for that wait and the leader's
	 * own load after it too (at most one more timeout) rather than start one more load.
	 */
	private Object awaitLeader(Flight running, Object key, Callable<?> loader) throws TimeoutException {
		try {
			return running.await(key, loader, this.loadWaitNanos);
		}
		catch (TimeoutException ex) {
			long extra = running.extraWaitNanos(this.loadWaitNanos);
			if (extra <= 0) {
				throw ex;
			}
			return running.await(key, loader, extra);
		}
	}

	private Object loadThrough(Object key, Callable<?> loader, LoadOptions options, Flight flight) {
		if (this.l1 != null) {
			// A flight for this key may have finished between our miss and our
			// registration.
			L1Entry entry = this.l1.getIfPresent(key);
			if (entry != null && (this.freshness == null || this.freshness.isFresh(entry))) {
				this.stats.l1Hits.increment();
				return entry.get();
			}
		}
		Object stored = readL2(key, options, flight.ticket, flight);
		if (stored != null) {
			return (stored == L1Entry.NULL) ? null : stored;
		}
		if (this.clusterFlight != null && !flight.l2Unavailable) {
			// Once across instances: wait for another's load, or load under the lock.
			return this.clusterFlight.load(key, flight, () -> readL2(key, options, flight.ticket, flight), () -> {
				this.stats.misses.increment();
				return callLoader(key, loader, options, flight);
			});
		}
		this.stats.misses.increment();
		return callLoader(key, loader, options, flight);
	}

	private Object callLoader(Object key, Callable<?> loader, LoadOptions options, Flight flight) {
		// A stale value seen on the way (e.g. while waiting for another instance) asked
		// for a
		// refresh after the flight: this load replaces it.
		flight.refreshAfter = null;
		long start = System.nanoTime();
		Object value;
		try {
			value = loader.call();
		}
		catch (Exception ex) {
			this.stats.loadFailures.increment();
			this.stats.loadFailureNanos.add(System.nanoTime() - start);
			throw new ValueRetrievalException(key, loader, ex);
		}
		this.stats.loadSuccesses.increment();
		this.stats.loadSuccessNanos.add(System.nanoTime() - start);
		if (options.shouldStore(value)) {
			store(key, value, options, flight);
		}
		return value;
	}

	/**
	 * The stored form (L1Entry.NULL for a cached null) read from L2, or null on a miss.
	 * With a flight (a read with a loader), a stale value within its
	 * stale-while-revalidate window is returned too (see {@link #fromL2}).
	 */
	private Object readL2(Object key, LoadOptions options, Versions.Ticket ticket, Flight flight) {
		if (this.l2 == null) {
			return null;
		}
		Decoded decoded = this.l2.read(key, options.type());
		if (decoded == L2Tier.UNAVAILABLE) {
			if (flight != null) {
				flight.l2Unavailable = true;
			}
			return null;
		}
		if (decoded == null) {
			return null;
		}
		Object stored = decoded.isNull() ? L1Entry.NULL : decoded.value();
		if (this.freshness != null) {
			return fromL2(key, stored, decoded.expiresAtEpochMillis(), options.ttl(), ticket, flight);
		}
		this.stats.l2Hits.increment();
		fillFromL2(key, stored, decoded.expiresAtEpochMillis(), ticket, flight);
		return stored;
	}

	void fillFromL2(Object key, Object stored, long expiresAtMillis, Versions.Ticket ticket, Flight flight) {
		if (this.l1 == null) {
			return;
		}
		if (this.freshness != null) {
			fillTimed(key, stored, expiresAtMillis, null, ticket, flight);
			return;
		}
		long remainingMillis = expiresAtMillis - this.l2.nowMillis();
		if (remainingMillis <= 0) {
			return;
		}
		install(key, entry(key, stored, remainingMillis, remainingMillis, remainingMillis, flight), ticket, flight);
	}

	/**
	 * What a cache with stale options makes of a value read from Redis, whose envelope
	 * holds its fresh-until time: it goes into L1 with that and its remaining physical
	 * life; it is returned (counted as a hit) if fresh or, with a flight, within its
	 * stale-while-revalidate window, in which case, as when it is due for a
	 * refresh-ahead, the flight's leader starts a background refresh. A staler value is
	 * kept on the flight for stale-if-error.
	 * @return the stored form to return, or {@code null} when the caller is to load
	 */
	private Object fromL2(Object key, Object stored, long freshUntilMillis, Duration ttlOverride,
			Versions.Ticket ticket, Flight flight) {
		L1Entry entry = fillTimed(key, stored, freshUntilMillis, ttlOverride, ticket, flight);
		if (entry == null) {
			return null;
		}
		long now = this.freshness.now();
		int state = this.freshness.state(entry, now);
		if (state == Freshness.FRESH || (state == Freshness.DUE && flight == null)) {
			this.stats.l2Hits.increment();
			return stored;
		}
		if (flight == null) {
			return null;
		}
		if (state == Freshness.DUE || state == Freshness.REVALIDATE) {
			this.stats.l2Hits.increment();
			if (state == Freshness.REVALIDATE) {
				this.stats.staleServedRevalidating.increment();
				flight.stale = entry;
			}
			flight.refreshAfter = (state == Freshness.DUE) ? RefreshTrigger.AHEAD : RefreshTrigger.STALE;
			return stored;
		}
		if (this.freshness.servesOnError(entry, now)) {
			flight.stale = Freshness.newer(flight.stale, entry);
		}
		return null;
	}

	/**
	 * Put a value read from Redis into L1 (if the cache has one) with its fresh-until
	 * time and its remaining physical life.
	 * @return the entry, or {@code null} if its physical life is over
	 */
	private L1Entry fillTimed(Object key, Object stored, long freshUntilMillis, Duration ttlOverride,
			Versions.Ticket ticket, Flight flight) {
		L1Entry entry = timedEntry(key, stored, freshUntilMillis, ttlOverride, flight);
		if (entry != null && this.l1 != null) {
			install(key, entry, ticket, flight);
		}
		return entry;
	}

	/**
	 * The L1 entry for a value read from Redis, or {@code null} if its physical life is
	 * over.
	 */
	private L1Entry timedEntry(Object key, Object stored, long freshUntilMillis, Duration ttlOverride, Flight flight) {
		long freshMillis = freshUntilMillis - this.l2.nowMillis();
		long lifeMillis = this.freshness.lifeMillis(freshMillis);
		if (lifeMillis <= 0) {
			return null;
		}
		return entry(key, stored, freshMillis, lifeMillis, nominalTtlMillis(stored, ttlOverride), flight);
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
		keyChanged(key);
		store(key, value, options, null);
		publishKeyChanged(key);
	}

	/** Writes L2 then L1; for a flight, only while nothing changed the key. */
	private void store(Object key, Object value, LoadOptions options, Flight flight) {
		if (value == null && !this.spec.cacheNulls()) {
			return;
		}
		long ttlMillis = ttlMillis(value, options.ttl());
		long lifeMillis = (this.freshness != null) ? this.freshness.lifeMillis(ttlMillis) : ttlMillis;
		this.stats.puts.increment();
		if (this.l2 != null && (flight == null || (flight.isCurrent() && !flight.l2Unavailable))) {
			byte[] written = this.l2.write(key, value, options.type(), ttlMillis, lifeMillis);
			if (written != null && flight != null) {
				if (flight.isCurrent()) {
					// A change elsewhere whose message is still on its way is undone
					// later.
					wroteBack(key, flight.digest, written);
				}
				else {
					// The key changed while we wrote an older value: do not leave it
					// behind.
					this.l2.delete(key);
				}
			}
			else if (flight == null) {
				if (written != null) {
					this.l2.keyChangeReached(key);
				}
				else {
					// An explicit put that did not reach Redis: its older value must go
					// there, and
					// is not read from there meanwhile.
					this.l2.keyChangeFailed(key);
				}
			}
		}
		if (flight == null) {
			// A read that started after the first change may have read Redis before our
			// write
			// landed: stale it again, before L1 changes.
			keyChanged(key);
		}
		if (this.l1 != null) {
			install(key, entry(key, (value != null) ? value : L1Entry.NULL, ttlMillis, lifeMillis, ttlMillis, flight),
					(flight != null) ? flight.ticket : null, flight);
		}
	}

	/**
	 * The TTL of a value before jitter: the per-call or cache TTL, at most the null TTL
	 * for null.
	 */
	private long nominalTtlMillis(Object value, Duration ttlOverride) {
		long ttl = ((ttlOverride != null) ? ttlOverride : this.spec.ttl()).toMillis();
		if (value == null || value == L1Entry.NULL) {
			ttl = Math.min(ttl, this.spec.nullTtl().toMillis());
		}
		return ttl;
	}

	/** The TTL of a value to store: the nominal TTL, shortened by the jitter. */
	long ttlMillis(Object value, Duration ttlOverride) {
		long ttl = nominalTtlMillis(value, ttlOverride);
		double jitter = this.spec.ttlJitter();
		if (jitter > 0) {
			ttl -= (long) (ThreadLocalRandom.current().nextDouble() * jitter * ttl);
		}
		return Math.max(1, ttl);
	}

	/** A snapshot of a key's change counters, taken before reading it. */
	Versions.Ticket ticket(Object key) {
		return this.versions.ticket(key);
	}

	/** Puts a loaded value in L1, unless the key changed since the ticket was taken. */
	void installLoaded(Object key, Object value, long ttlMillis, Versions.Ticket ticket) {
		if (this.l1 != null) {
			install(key, entry(key, (value != null) ? value : L1Entry.NULL, ttlMillis, lifeMillis(ttlMillis), ttlMillis,
					null), ticket, null);
		}
	}

	/** How long a value stored with a TTL is kept: longer with the stale options. */
	long lifeMillis(long ttlMillis) {
		return (this.freshness != null) ? this.freshness.lifeMillis(ttlMillis) : ttlMillis;
	}

	/**
	 * Whether a value read from Redis is within its TTL (always, without the stale
	 * options).
	 */
	boolean isFresh(Decoded decoded) {
		return this.freshness == null || decoded.expiresAtEpochMillis() - this.l2.nowMillis() > 0;
	}

	private long l1Life(long millis) {
		return Math.min(this.l1CapNanos, TimeUnit.MILLISECONDS.toNanos(millis));
	}

	/**
	 * A new L1 entry (the only way entries are made, so a cache with stale options holds
	 * only timed ones).
	 * @param freshMillis how much longer the value is fresh (negative if stale already)
	 * @param lifeMillis how much longer it is kept (capped here by the L1 lifetime cap)
	 * @param ttlMillis the TTL it was written with (for refresh-ahead)
	 */
	private L1Entry entry(Object key, Object stored, long freshMillis, long lifeMillis, long ttlMillis, Flight flight) {
		String digest = (flight != null && flight.digest != null) ? flight.digest : digestIfTracking(key);
		if (this.freshness == null) {
			return new L1Entry(stored, l1Life(lifeMillis), digest);
		}
		return this.freshness.entry(stored, l1Life(lifeMillis), digest, freshMillis, ttlMillis);
	}

	/**
	 * Put an entry in L1, atomically with any change of the key: with a ticket or flight,
	 * the entry goes in only if nothing changed the key since they were taken.
	 */
	private void install(Object key, L1Entry entry, Versions.Ticket ticket, Flight flight) {
		if (this.keysByDigest == null && ticket == null) {
			this.l1.put(key, entry);
			return;
		}
		String digest = entry.digest;
		this.l1.asMap().compute(key, (k, old) -> {
			// Publish the mapping before looking at the flags: an invalidation bumps them
			// before looking the mapping up, so one of the two always sees the other.
			if (digest != null) {
				this.keysByDigest.put(digest, k);
			}
			if ((flight != null) ? !flight.isCurrent() : (ticket != null && !ticket.isValid())) {
				if (digest != null && old == null) {
					this.keysByDigest.remove(digest, k);
				}
				return old;
			}
			if (flight == null && ticket != null && old instanceof TimedL1Entry held
					&& entry instanceof TimedL1Entry read && held.freshUntilNanos - read.freshUntilNanos > 0) {
				// A plain fill read Redis before a refresh stored a fresher value: keep
				// that.
				return old;
			}
			return entry;
		});
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A stale entry counts as absent.
	 */
	@Override
	public ValueWrapper putIfAbsent(Object key, Object value) {
		if (this.l1 != null) {
			L1Entry existing = this.l1.getIfPresent(key);
			if (existing != null && (this.freshness == null || this.freshness.isFresh(existing))) {
				return existing;
			}
		}
		if (value == null && !this.spec.cacheNulls()) {
			return null;
		}
		Versions.Ticket ticket = this.versions.ticket(key);
		long ttlMillis = ttlMillis(value, null);
		long lifeMillis = (this.freshness != null) ? this.freshness.lifeMillis(ttlMillis) : ttlMillis;
		if (this.l2 != null) {
			Boolean written = this.l2.writeIfAbsent(key, value, null, ttlMillis, lifeMillis);
			if (Boolean.FALSE.equals(written)) {
				Decoded decoded = this.l2.read(key, null);
				if (decoded != null && decoded != L2Tier.UNAVAILABLE) {
					Object stored = decoded.isNull() ? L1Entry.NULL : decoded.value();
					if (this.freshness == null || decoded.expiresAtEpochMillis() > this.l2.nowMillis()) {
						fillFromL2(key, stored, decoded.expiresAtEpochMillis(), ticket, null);
						return new SimpleValueWrapper((stored == L1Entry.NULL) ? null : stored);
					}
				}
				// The existing entry is unreadable (refused or gone) or stale: replace
				// it.
				this.l2.write(key, value, null, ttlMillis, lifeMillis);
			}
		}
		this.stats.puts.increment();
		L1Entry previous = null;
		if (this.l1 != null) {
			L1Entry entry = entry(key, (value != null) ? value : L1Entry.NULL, ttlMillis, lifeMillis, ttlMillis, null);
			L1Entry[] existing = new L1Entry[1];
			this.l1.asMap().compute(key, (k, old) -> {
				if (old != null && (this.freshness == null || this.freshness.isFresh(old))) {
					existing[0] = old;
					return old;
				}
				if (entry.digest != null) {
					this.keysByDigest.put(entry.digest, k);
				}
				return entry;
			});
			previous = existing[0];
		}
		if (previous == null) {
			keyChanged(key);
			publishKeyChanged(key);
		}
		return previous;
	}

	// ---------------------------------------------------------------- evictions

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		keyChanged(key);
		boolean present = false;
		if (this.l2 != null) {
			Boolean deleted = this.l2.delete(key);
			if (deleted == null) {
				this.l2.keyChangeFailed(key);
			}
			else {
				this.l2.keyChangeReached(key);
			}
			present = Boolean.TRUE.equals(deleted);
			// A read that started after the first change may have read Redis before the
			// delete
			// landed: stale it again, before L1 changes.
			keyChanged(key);
		}
		if (this.l1 != null) {
			present |= removeFromL1(key);
		}
		if (present) {
			this.stats.evictions.increment();
		}
		publishKeyChanged(key);
		return present;
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
		KeyPattern pattern = KeyPattern.compile(keyPattern);
		this.versions.allChanged();
		this.flights.values().removeIf((flight) -> {
			flight.invalidated = true;
			return true;
		});
		long deleted = (this.l2 != null) ? this.l2.deleteMatching(this.l2.keys().keyPattern(keyPattern)) : 0;
		if (deleted < 0) {
			// Which keys matched is unknown: the whole cache is repaired in Redis.
			this.l2.clearFailed();
		}
		if (this.l1 != null) {
			this.l1.asMap().keySet().removeIf((key) -> pattern.matches(CacheKeyEncoder.encode(key)));
		}
		if (this.keysByDigest != null) {
			this.keysByDigest.values().removeIf((key) -> pattern.matches(CacheKeyEncoder.encode(key)));
		}
		publishCleared();
		return deleted;
	}

	@Override
	public void clear() {
		invalidate();
	}

	@Override
	public boolean invalidate() {
		this.versions.allChanged();
		boolean present = false;
		if (this.l2 != null) {
			long deleted = this.l2.deleteMatching(this.l2.keys().allKeysPattern());
			if (deleted < 0) {
				this.l2.clearFailed();
			}
			present = deleted > 0;
		}
		if (this.l1 != null) {
			present |= this.l1.estimatedSize() > 0;
		}
		clearL1();
		publishCleared();
		return present;
	}

	/**
	 * Drop every entry of the in-process level only (the shared level is untouched), and
	 * keep reads and loads still running from installing their values.
	 */
	public void clearL1() {
		this.versions.allChanged();
		this.flights.values().removeIf((flight) -> {
			flight.invalidated = true;
			return true;
		});
		if (this.l1 != null) {
			if (this.keysByDigest == null) {
				this.l1.invalidateAll();
				return;
			}
			// Entry and mapping together, under each key's lock, so an install racing the
			// clear either sees the bumped counters or is removed with its mapping.
			new java.util.ArrayList<>(this.keysByDigest.values()).forEach(this::removeFromL1);
			new java.util.ArrayList<>(this.l1.asMap().keySet()).forEach(this::removeFromL1);
		}
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
		RecentWriteBacks.WriteBack writeBack = this.writeBacks.take(keyDigest);
		boolean undone = (writeBack != null) && undo(writeBack);
		dropFromL1(keyDigest);
		if (undone) {
			this.publisher.keyDropped(this.name, keyDigest);
		}
	}

	/**
	 * Undo every load's write-back of the last moments that Redis still holds, and
	 * announce each: called when changes of other instances may have been missed (a lost
	 * message, or a clear of the whole cache elsewhere), after the in-process level was
	 * dropped.
	 */
	public void undoRecentWriteBacks() {
		this.writeBacks.takeAll().forEach((digest, writeBack) -> {
			if (undo(writeBack)) {
				this.publisher.keyDropped(this.name, digest);
			}
		});
	}

	/**
	 * Delete a write-back in Redis if Redis still holds its bytes; if that cannot be
	 * known, delete the key once Redis answers (a pending repair, after which peers
	 * flush).
	 * @return whether it was deleted now
	 */
	private boolean undo(RecentWriteBacks.WriteBack writeBack) {
		Boolean deleted = this.l2.deleteIfWritten(writeBack.key(), writeBack.bytes());
		if (deleted == null) {
			this.l2.keyChangeFailed(writeBack.key());
			return false;
		}
		if (deleted) {
			this.stats.writeBacksUndone.increment();
		}
		return deleted;
	}

	/**
	 * Drop one key, known by its digest, from the in-process level, and keep reads and
	 * loads of it still running here from installing their values; nothing in Redis
	 * changes. Does nothing unless the cache has an L1 and applies invalidations.
	 * @param keyDigest the key's digest
	 */
	public void dropFromL1(String keyDigest) {
		if (this.keysByDigest == null) {
			return;
		}
		// A read racing this message cannot be matched by digest cheaply: stale them all.
		this.versions.allChanged();
		this.flights.forEach((key, flight) -> {
			if (keyDigest.equals(flight.digest)) {
				flight.invalidated = true;
				this.flights.remove(key, flight);
			}
		});
		Object key = this.keysByDigest.get(keyDigest);
		if (key != null) {
			removeFromL1(key);
		}
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
		if (this.l2 == null) {
			return true;
		}
		return this.l2.repair(new PendingRepairs.Repaired() {
			@Override
			public void keyRepaired(Object key) {
				keyChanged(key);
				if (TieredCache.this.l1 != null) {
					removeFromL1(key);
				}
			}

			@Override
			public void cacheCleared() {
				clearL1();
			}
		});
	}

	/** Whether a put, eviction or clear of this cache waits to be repaired in Redis. */
	boolean hasPendingRepairs() {
		return this.l2 != null && this.l2.hasPendingRepairs();
	}

	/**
	 * Put a flight in the flight map unless one runs for the key.
	 * @return the running flight, or {@code null} if this one is registered
	 */
	private Flight register(Object key, Flight flight) {
		Flight running = this.flights.putIfAbsent(key, flight);
		if (running == null) {
			flight.registered();
		}
		return running;
	}

	/**
	 * Marks the key changed: stales tickets and flights, and later callers start afresh.
	 */
	private void keyChanged(Object key) {
		this.versions.keyChanged(key);
		Flight flight = this.flights.remove(key);
		if (flight != null) {
			flight.invalidated = true;
		}
	}

	private boolean removeFromL1(Object key) {
		if (this.keysByDigest == null) {
			return this.l1.asMap().remove(key) != null;
		}
		boolean[] removed = new boolean[1];
		// compute, not computeIfPresent: Caffeine's computeIfPresent does not wait for an
		// install of the same key that is still running, and would miss it.
		this.l1.asMap().compute(key, (k, entry) -> {
			if (entry != null) {
				if (entry.digest != null) {
					this.keysByDigest.remove(entry.digest, k);
				}
				removed[0] = true;
			}
			return null;
		});
		return removed[0];
	}

	/**
	 * The key's digest when other instances' invalidations are applied to L1 here, else
	 * {@code null} (a cache without L1 computes one only when it writes a value back).
	 */
	private String digestIfTracking(Object key) {
		return (this.keysByDigest != null) ? KeyDigest.of(key) : null;
	}

	/**
	 * Remember a loaded value written back to Redis, to undo it if it raced a change
	 * elsewhere.
	 */
	void wroteBack(Object key, String digest, byte[] written) {
		if (this.writeBacks != RecentWriteBacks.NONE) {
			this.writeBacks.written((digest != null) ? digest : KeyDigest.of(key), key, written);
		}
	}

	private void publishKeyChanged(Object key) {
		if (this.publisher != InvalidationPublisher.NONE) {
			this.publisher.keyChanged(this.name, KeyDigest.of(key));
		}
	}

	private void publishCleared() {
		if (this.publisher != InvalidationPublisher.NONE) {
			this.publisher.cacheCleared(this.name);
		}
	}

	// ---------------------------------------------------------------- asynchronous

	@Override
	public CompletableFuture<?> retrieve(Object key) {
		if (this.l1 != null) {
			L1Entry entry = this.l1.getIfPresent(key);
			if (entry != null && (this.freshness == null || this.freshness.isFresh(entry))) {
				this.stats.l1Hits.increment();
				return CompletableFuture.completedFuture(entry);
			}
		}
		if (this.l2 == null) {
			this.stats.misses.increment();
			return null;
		}
		Versions.Ticket ticket = this.versions.ticket(key);
		return this.l2.readAsync(key, null).thenApplyAsync((decoded) -> {
			if (decoded == null || decoded == L2Tier.UNAVAILABLE) {
				this.stats.misses.increment();
				return null;
			}
			Object stored = decoded.isNull() ? L1Entry.NULL : decoded.value();
			if (this.freshness != null) {
				if (fromL2(key, stored, decoded.expiresAtEpochMillis(), null, ticket, null) == null) {
					this.stats.misses.increment();
					return null;
				}
			}
			else {
				this.stats.l2Hits.increment();
				fillFromL2(key, stored, decoded.expiresAtEpochMillis(), ticket, null);
			}
			return new SimpleValueWrapper((stored == L1Entry.NULL) ? null : stored);
		}, this.asyncExecutor);
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
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader,
			LoadOptions options) {
		L1Entry stale = null;
		if (this.l1 != null) {
			L1Entry entry = this.l1.getIfPresent(key);
			if (entry != null) {
				if (this.freshness == null || this.freshness.isQuiet(entry)) {
					this.stats.l1Hits.increment();
					return CompletableFuture.completedFuture((T) entry.get());
				}
				if (servedWhileRefreshing(key, entry, null, valueLoader, options)) {
					return CompletableFuture.completedFuture((T) entry.get());
				}
				stale = entry;
			}
		}
		Flight flight = new Flight(digestIfTracking(key), this.versions.ticket(key), false);
		flight.stale = stale;
		Flight running = register(key, flight);
		if (running != null) {
			this.stats.misses.increment();
			return running.result
				.handle((value,
						ex) -> (ex == null) ? CompletableFuture.completedFuture((T) value) : Flight.isAbandoned(ex)
								? retrieve(key, valueLoader, options) : CompletableFuture.<T>failedFuture(ex))
				.thenCompose((future) -> future);
		}
		CompletableFuture<Decoded> fromL2 = (this.l2 != null) ? this.l2.readAsync(key, options.type())
				: CompletableFuture.completedFuture(null);
		fromL2.thenComposeAsync((decoded) -> {
			if (decoded == L2Tier.UNAVAILABLE) {
				flight.l2Unavailable = true;
			}
			else if (decoded != null) {
				Object stored = decoded.isNull() ? L1Entry.NULL : decoded.value();
				if (this.freshness == null) {
					this.stats.l2Hits.increment();
					fillFromL2(key, stored, decoded.expiresAtEpochMillis(), flight.ticket, flight);
					return CompletableFuture.completedFuture((stored == L1Entry.NULL) ? null : stored);
				}
				Object served = fromL2(key, stored, decoded.expiresAtEpochMillis(), options.ttl(), flight.ticket,
						flight);
				if (served != null) {
					return CompletableFuture.completedFuture((served == L1Entry.NULL) ? null : served);
				}
			}
			this.stats.misses.increment();
			long start = System.nanoTime();
			return valueLoader.get().handleAsync((value, ex) -> {
				if (ex != null) {
					this.stats.loadFailures.increment();
					this.stats.loadFailureNanos.add(System.nanoTime() - start);
					if (servesStaleOnError(flight, ex)) {
						return flight.stale.get();
					}
					throw (ex instanceof CompletionException completion) ? completion : new CompletionException(ex);
				}
				this.stats.loadSuccesses.increment();
				this.stats.loadSuccessNanos.add(System.nanoTime() - start);
				if (options.shouldStore(value)) {
					store(key, value, options, flight);
				}
				return (Object) value;
			}, this.asyncExecutor);
		}, this.asyncExecutor).whenComplete((value, ex) -> {
			this.flights.remove(key, flight);
			if (ex != null) {
				flight.result.completeExceptionally(ex);
			}
			else {
				flight.result.complete(value);
			}
			if (flight.refreshAfter != null) {
				refresh(key, null, flight.stale, null, valueLoader, options, flight.refreshAfter);
			}
		});
		return flight.result.thenApply((value) -> (T) value);
	}

	// ---------------------------------------------------------------- stale entries and
	// refreshes

	/**
	 * Answer a read with a loader of an L1 entry that is not a plain hit: a hit that
	 * starts a refresh-ahead, a stale hit within the stale-while-revalidate window that
	 * starts a revalidation, or {@code false} when the entry is too stale and the caller
	 * is to load. Exactly one of the loaders is given.
	 */
	private boolean servedWhileRefreshing(Object key, L1Entry entry, Callable<?> loader,
			Supplier<? extends CompletableFuture<?>> asyncLoader, LoadOptions options) {
		int state = this.freshness.state(entry, this.freshness.now());
		if (state == Freshness.EXPIRED) {
			return false;
		}
		this.stats.l1Hits.increment();
		if (state == Freshness.REVALIDATE) {
			this.stats.staleServedRevalidating.increment();
			refresh(key, entry, entry, loader, asyncLoader, options, RefreshTrigger.STALE);
		}
		else if (state == Freshness.DUE) {
			refresh(key, entry, entry, loader, asyncLoader, options, RefreshTrigger.AHEAD);
		}
		return true;
	}

	/**
	 * Start one background load that replaces a key's entry, on the asynchronous
	 * executor, unless a load of the key runs already: the refresh is a flight, so there
	 * is at most one per key per JVM, callers that miss meanwhile wait for it, and a put,
	 * eviction, clear or invalidation while it runs keeps its value out of both levels.
	 * It first reads Redis, where another instance may have stored a fresh value already.
	 * @param seen the L1 entry that asked for the refresh, or {@code null}; if L1 now
	 * holds another, fresh one, there is nothing to do
	 * @param fallback what callers waiting for the refresh get if it fails, while within
	 * the stale-if-error window, or {@code null}
	 */
	private void refresh(Object key, L1Entry seen, L1Entry fallback, Callable<?> loader,
			Supplier<? extends CompletableFuture<?>> asyncLoader, LoadOptions options, RefreshTrigger trigger) {
		if (options.storesNothing() || this.flights.containsKey(key)) {
			// A read that stores nothing would throw the refreshed value away.
			return;
		}
		Flight flight = new Flight(digestIfTracking(key), this.versions.ticket(key), false);
		flight.stale = fallback;
		flight.background = true;
		if (register(key, flight) != null) {
			return;
		}
		if (seen != null) {
			// A refresh may have replaced the entry between our read and our
			// registration.
			L1Entry current = this.l1.getIfPresent(key);
			if (current != null && current != seen && this.freshness.isQuiet(current)) {
				this.flights.remove(key, flight);
				flight.result.complete(current.get());
				return;
			}
		}
		try {
			this.refreshExecutor.execute(() -> runRefresh(key, flight, loader, asyncLoader, options, trigger));
		}
		catch (RuntimeException ex) {
			// Refused (the refresh pool is busy or closed): counted as a failed refresh;
			// callers
			// that joined it load themselves rather than get the executor's exception.
			this.stats.refreshed(trigger, false);
			this.loaderLog.warn("Cache '" + this.name + "' dropped a background refresh (the refresh threads "
					+ "and their queue are full: optimization.cache.refresh.*)", ex);
			this.flights.remove(key, flight);
			flight.abandon();
		}
	}

	private void runRefresh(Object key, Flight flight, Callable<?> loader,
			Supplier<? extends CompletableFuture<?>> asyncLoader, LoadOptions options, RefreshTrigger trigger) {
		try {
			Object fresh = freshFromL2(key, options, flight);
			if (fresh != null) {
				// Another instance has refreshed it already.
				refreshed(key, flight, (fresh == L1Entry.NULL) ? null : fresh, null, trigger);
				return;
			}
			if (loader != null) {
				Object value;
				try {
					if (this.clusterFlight != null && !flight.l2Unavailable) {
						// Once across instances: wait for another's refresh, or load
						// under the lock.
						Object found = this.clusterFlight.load(key, flight, () -> freshFromL2(key, options, flight),
								() -> callLoader(key, loader, options, flight));
						value = (found == L1Entry.NULL) ? null : found;
					}
					else {
						value = callLoader(key, loader, options, flight);
					}
				}
				catch (ValueRetrievalException ex) {
					refreshed(key, flight, null, ex, trigger);
					return;
				}
				refreshed(key, flight, value, null, trigger);
				return;
			}
			long start = System.nanoTime();
			asyncLoader.get().whenCompleteAsync((value, ex) -> {
				if (ex != null) {
					this.stats.loadFailures.increment();
					this.stats.loadFailureNanos.add(System.nanoTime() - start);
					refreshed(key, flight, null, ex, trigger);
					return;
				}
				this.stats.loadSuccesses.increment();
				this.stats.loadSuccessNanos.add(System.nanoTime() - start);
				try {
					if (options.shouldStore(value)) {
						store(key, value, options, flight);
					}
					refreshed(key, flight, value, null, trigger);
				}
				catch (RuntimeException | Error failure) {
					refreshed(key, flight, null, failure, trigger);
				}
			}, this.asyncExecutor).whenComplete((value, ex) -> {
				if (ex != null) {
					// The executor refused the completion: do not leave the flight
					// behind.
					refreshed(key, flight, null, ex, trigger);
				}
			});
		}
		catch (RuntimeException | Error ex) {
			refreshed(key, flight, null, ex, trigger);
		}
	}

	/**
	 * For a refresh: the key's value in Redis if it is fresh (put in L1 too), or
	 * {@code null} (missing, stale, refused, or Redis unusable, which sets
	 * {@link Flight#l2Unavailable}).
	 * @return the stored form ({@link L1Entry#NULL} for a cached null), or {@code null}
	 */
	private Object freshFromL2(Object key, LoadOptions options, Flight flight) {
		if (this.l2 == null) {
			return null;
		}
		Decoded decoded = this.l2.read(key, options.type());
		if (decoded == L2Tier.UNAVAILABLE) {
			flight.l2Unavailable = true;
			return null;
		}
		if (decoded == null) {
			return null;
		}
		Object stored = decoded.isNull() ? L1Entry.NULL : decoded.value();
		L1Entry entry = timedEntry(key, stored, decoded.expiresAtEpochMillis(), options.ttl(), flight);
		if (entry == null || this.freshness.state(entry, this.freshness.now()) != Freshness.FRESH) {
			return null;
		}
		if (this.l1 != null) {
			install(key, entry, flight.ticket, flight);
		}
		return stored;
	}

	/** Ends a refresh: counts it, and answers callers that joined it. */
	private void refreshed(Object key, Flight flight, Object value, Throwable failure, RefreshTrigger trigger) {
		if (flight.result.isDone()) {
			return;
		}
		this.flights.remove(key, flight);
		if (failure == null) {
			this.stats.refreshed(trigger, true);
			flight.result.complete(value);
			return;
		}
		this.stats.refreshed(trigger, false);
		Throwable cause = ((failure instanceof CompletionException || failure instanceof ValueRetrievalException)
				&& failure.getCause() != null) ? failure.getCause() : failure;
		this.loaderLog.warn("Cache '" + this.name + "' could not refresh an entry in the background; "
				+ "its stale value is served until its window ends", cause);
		L1Entry stale = flight.stale;
		if (stale != null && this.freshness.servesOnError(stale, this.freshness.now())) {
			flight.result.complete(stale.get());
		}
		else {
			flight.result.completeExceptionally(failure);
		}
	}

	/**
	 * The flight's stale value in place of a loader failure, or the failure if there is
	 * none.
	 */
	private Object staleOnError(Flight flight, ValueRetrievalException failure) {
		if (servesStaleOnError(flight, failure.getCause())) {
			return flight.stale.get();
		}
		throw failure;
	}

	/**
	 * Whether the flight holds a stale entry within the stale-if-error window to answer a
	 * loader failure with; if so, it is counted and logged (at a bounded rate).
	 */
	private boolean servesStaleOnError(Flight flight, Throwable failure) {
		L1Entry stale = flight.stale;
		if (this.freshness == null || stale == null || !this.freshness.servesOnError(stale, this.freshness.now())) {
			return false;
		}
		this.stats.staleServedOnError.increment();
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		this.loaderLog.warn("Cache '" + this.name + "' answered a failed load with a stale value "
				+ "(within its stale-if-error window)", cause);
		return true;
	}

	/**
	 * End the background refreshes that will not run any more (their executor was shut
	 * down): callers waiting for them load themselves.
	 */
	void abandonRefreshes() {
		this.flights.forEach((key, flight) -> {
			if (flight.background && this.flights.remove(key, flight)) {
				flight.abandon();
			}
		});
	}

	@Override
	public String toString() {
		return "TieredCache[" + this.name + (isTwoLevel() ? ", L1+L2" : ", L1 only") + "]";
	}

	/**
	 * Each L1 entry lives for the life it was given when written; reads do not extend it.
	 */
	private static final class EntryLife implements Expiry<Object, L1Entry> {

		@Override
		public long expireAfterCreate(Object key, L1Entry value, long currentTime) {
			return value.lifeNanos;
		}

		@Override
		public long expireAfterUpdate(Object key, L1Entry value, long currentTime, long currentDuration) {
			return value.lifeNanos;
		}

		@Override
		public long expireAfterRead(Object key, L1Entry value, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
