package io.github.optimization.cache;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.optimization.cache.codec.CacheValueCodec;
import io.github.optimization.cache.key.RedisKeyScheme;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A {@link CacheManager} of {@link TieredCache}s. Caches named in the configuration are
 * created at once (so bad settings fail at startup); others are created on first use with
 * the defaults, unless dynamic creation is off.
 *
 * <p>
 * Without an {@link L2Store} every cache runs in-process only, which is logged once.
 * Listeners added with {@link #addCacheListener(Consumer)} see every cache, existing and
 * future (metrics use this to cover caches created after startup).
 *
 * <p>
 * Thread-safe.
 */
public class TieredCacheManager implements CacheManager, InvalidationHandler, AutoCloseable {

	private static final Log logger = LogFactory.getLog(TieredCacheManager.class);

	private final CacheSpec defaults;

	private final Map<String, CacheSpec> specs;

	private final boolean dynamic;

	private final boolean twoLevel;

	private final L2Guard guard;

	private final CacheExecutors executors;

	private final CacheFactory factory;

	private final ConcurrentMap<String, TieredCache> caches = new ConcurrentHashMap<>();

	private final InvalidationDispatch invalidations = new InvalidationDispatch(this.caches);

	private final List<Consumer<TieredCache>> listeners = new CopyOnWriteArrayList<>();

	private TieredCacheManager(Builder builder) {
		this.defaults = builder.defaults;
		this.specs = Collections.unmodifiableMap(new LinkedHashMap<>(builder.specs));
		this.dynamic = builder.dynamic;
		this.twoLevel = builder.store != null;
		this.guard = builder.guard;
		this.executors = new CacheExecutors(new CacheExecutors.Pair(builder.asyncExecutor, builder.refreshExecutor),
				builder.sharedExecutors, builder.refreshThreads, builder.refreshQueueCapacity);
		this.factory = new CacheFactory(this.defaults, this.specs, builder.dynamicLimit, builder.store,
				builder.keyScheme, builder.codec, builder.ticker, builder.clock, builder.executor, this.executors,
				this.guard, builder.publisher);
		if (!this.twoLevel) {
			logger.info("Tiered caches run in-process only (L1): no Redis connection factory is available. "
					+ "Add spring-boot-starter-data-redis and spring.data.redis.* to share entries between instances.");
		}
		this.specs.keySet().forEach(this::getCache);
	}

	/** Default number of threads that run background refreshes. */
	public static final int DEFAULT_REFRESH_THREADS = 4;

	/** Default number of background refreshes that may wait for a thread. */
	public static final int DEFAULT_REFRESH_QUEUE_CAPACITY = 1000;

	/** A builder. */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public Cache getCache(String name) {
		TieredCache cache = this.caches.get(name);
		if (cache != null) {
			return cache;
		}
		if (!this.dynamic && !this.specs.containsKey(name)) {
			return null;
		}
		return create(name);
	}

	/**
	 * Shuts down the executors this manager created for asynchronous work and refreshes,
	 * if any.
	 */
	@Override
	public void close() {
		if (this.executors.close()) {
			// Refreshes still queued will never run: let callers waiting for them load.
			this.caches.values().forEach(TieredCache::abandonRefreshes);
		}
	}

	private synchronized TieredCache create(String name) {
		TieredCache existing = this.caches.get(name);
		if (existing != null) {
			return existing;
		}
		if (!this.factory.allows(name, this.caches.size())) {
			return null;
		}
		TieredCache cache = this.factory.create(name);
		this.caches.put(name, cache);
		this.listeners.forEach((listener) -> notify(listener, cache));
		return cache;
	}

	private static void notify(Consumer<TieredCache> listener, TieredCache cache) {
		try {
			listener.accept(cache);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of cache '" + cache.getName() + "' failed; the cache works regardless", ex);
		}
	}

	@Override
	public Collection<String> getCacheNames() {
		return Collections.unmodifiableSet(this.caches.keySet());
	}

	@Override
	public boolean keyInvalidated(String cacheName, String keyDigest) {
		return this.invalidations.keyInvalidated(cacheName, keyDigest);
	}

	@Override
	public boolean keyDropped(String cacheName, String keyDigest) {
		return this.invalidations.keyDropped(cacheName, keyDigest);
	}

	@Override
	public boolean cacheInvalidated(String cacheName) {
		return this.invalidations.cacheInvalidated(cacheName);
	}

	@Override
	public void flushAll(FlushReason reason) {
		this.invalidations.flushAll(reason);
	}

	/**
	 * Redo in Redis what failed while it was unreachable: delete the keys whose write or
	 * eviction did not reach it (or clear the caches that lost track), so no instance
	 * reads an older value back once Redis is back. Called when Redis answers again.
	 * @return whether every pending repair was done
	 */
	public boolean repairL2() {
		return this.invalidations.repairL2();
	}

	@Override
	public boolean hasPendingRepairs() {
		return this.invalidations.hasPendingRepairs();
	}

	/**
	 * How many times every in-process entry was dropped for a reason.
	 * @param reason the reason
	 * @return the count
	 */
	public long flushCount(FlushReason reason) {
		return this.invalidations.count(reason);
	}

	/**
	 * The guard in front of the shared level (the circuit breaker), or
	 * {@link L2Guard#NONE}.
	 */
	public L2Guard getGuard() {
		return this.guard;
	}

	/** Whether caches have a shared (Redis) level. */
	public boolean isTwoLevel() {
		return this.twoLevel;
	}

	/** The settings of caches not named in the configuration. */
	public CacheSpec getDefaults() {
		return this.defaults;
	}

	/**
	 * Call a listener for every cache now and every cache created later.
	 * @param listener the listener; must not block
	 */
	public synchronized void addCacheListener(Consumer<TieredCache> listener) {
		this.listeners.add(listener);
		new ArrayList<>(this.caches.values()).forEach((cache) -> notify(listener, cache));
	}

	/**
	 * Builds a {@link TieredCacheManager}. Not thread-safe.
	 */
	public static final class Builder {

		private CacheSpec defaults = CacheSpec.defaults();

		private final Map<String, CacheSpec> specs = new LinkedHashMap<>();

		private boolean dynamic = true;

		private L2Store store;

		private RedisKeyScheme keyScheme = new RedisKeyScheme("opt:", 1);

		private CacheValueCodec codec;

		private Ticker ticker = Ticker.systemTicker();

		private Clock clock = Clock.systemUTC();

		private Executor executor = ForkJoinPool.commonPool();

		private L2Guard guard = L2Guard.NONE;

		private Executor asyncExecutor;

		private Executor refreshExecutor;

		private CacheExecutors.Pair sharedExecutors;

		private int refreshThreads = DEFAULT_REFRESH_THREADS;

		private int refreshQueueCapacity = DEFAULT_REFRESH_QUEUE_CAPACITY;

		private int dynamicLimit = 100;

		private InvalidationPublisher publisher = InvalidationPublisher.NONE;

		private Builder() {
		}

		/** The guard of the shared level, typically a circuit breaker. */
		public Builder guard(L2Guard guard) {
			this.guard = Objects.requireNonNull(guard, "guard");
			return this;
		}

		/** Where writes and evictions are announced to other instances. */
		public Builder invalidationPublisher(InvalidationPublisher publisher) {
			this.publisher = Objects.requireNonNull(publisher, "publisher");
			return this;
		}

		/** Settings of caches not configured by name. */
		public Builder defaults(CacheSpec defaults) {
			this.defaults = Objects.requireNonNull(defaults, "defaults");
			return this;
		}

		/**
		 * Settings of one named cache; the cache is created when the manager is built.
		 */
		public Builder cache(String name, CacheSpec spec) {
			this.specs.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(spec, "spec"));
			return this;
		}

		/**
		 * Whether caches not configured by name are created on first use (default true).
		 */
		public Builder dynamic(boolean dynamic) {
			this.dynamic = dynamic;
			return this;
		}

		/** The shared level; {@code null} (the default) for in-process caches only. */
		public Builder l2Store(L2Store store) {
			this.store = store;
			return this;
		}

		/** The layout of keys in Redis. */
		public Builder keyScheme(RedisKeyScheme keyScheme) {
			this.keyScheme = Objects.requireNonNull(keyScheme, "keyScheme");
			return this;
		}

		/** The codec of values in Redis; required when an L2 store is set. */
		public Builder codec(CacheValueCodec codec) {
			this.codec = codec;
			return this;
		}

		/** The time source of the in-process level (tests inject a fake one). */
		public Builder ticker(Ticker ticker) {
			this.ticker = Objects.requireNonNull(ticker, "ticker");
			return this;
		}

		/** The wall clock used for expiry times stored with values in Redis. */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/** The executor for L1 maintenance (tests use {@code Runnable::run}). */
		public Builder executor(Executor executor) {
			this.executor = Objects.requireNonNull(executor, "executor");
			return this;
		}

		/**
		 * The executor for asynchronous work ({@code retrieve}): decoding, loader
		 * futures, writes. Never a Redis client thread. Defaults to two daemon threads
		 * owned (and closed) by the manager.
		 */
		public Builder asyncExecutor(Executor asyncExecutor) {
			this.asyncExecutor = Objects.requireNonNull(asyncExecutor, "asyncExecutor");
			return this;
		}

		/**
		 * The executor that runs background refreshes (stale-while-revalidate,
		 * refresh-ahead), which call loaders and may block for as long as they take.
		 * Defaults to the {@link #asyncExecutor} when one is given, else to a pool of
		 * {@link #refreshThreads} daemon threads with a queue of
		 * {@link #refreshQueueCapacity} owned (and closed) by the manager. A refresh the
		 * executor refuses is dropped (and counted as a failed refresh): the stale value
		 * is served until a later read starts one.
		 */
		public Builder refreshExecutor(Executor refreshExecutor) {
			this.refreshExecutor = Objects.requireNonNull(refreshExecutor, "refreshExecutor");
			return this;
		}

		/**
		 * The application's pools, used in place of the manager's own where neither
		 * {@link #asyncExecutor} nor {@link #refreshExecutor} is given (the
		 * auto-configuration passes its Spring-built pools here, so that a customizer's
		 * {@code asyncExecutor} still runs refreshes too). The application shuts them
		 * down, after the manager.
		 */
		public Builder sharedExecutors(Executor asyncExecutor, Executor refreshExecutor) {
			this.sharedExecutors = new CacheExecutors.Pair(Objects.requireNonNull(asyncExecutor, "asyncExecutor"),
					Objects.requireNonNull(refreshExecutor, "refreshExecutor"));
			return this;
		}

		/**
		 * Threads of the manager's own refresh pool (default
		 * {@value #DEFAULT_REFRESH_THREADS}).
		 */
		public Builder refreshThreads(int refreshThreads) {
			if (refreshThreads <= 0) {
				throw new IllegalArgumentException("refresh threads must be positive, was " + refreshThreads);
			}
			this.refreshThreads = refreshThreads;
			return this;
		}

		/**
		 * Refreshes that may wait for a thread of the manager's own refresh pool (default
		 * {@value #DEFAULT_REFRESH_QUEUE_CAPACITY}); more are dropped.
		 */
		public Builder refreshQueueCapacity(int refreshQueueCapacity) {
			if (refreshQueueCapacity <= 0) {
				throw new IllegalArgumentException(
						"refresh queue capacity must be positive, was " + refreshQueueCapacity);
			}
			this.refreshQueueCapacity = refreshQueueCapacity;
			return this;
		}

		/**
		 * Most caches created on first use (default 100); configured caches do not count.
		 */
		public Builder dynamicLimit(int dynamicLimit) {
			if (dynamicLimit < 0) {
				throw new IllegalArgumentException("dynamic limit must not be negative, was " + dynamicLimit);
			}
			this.dynamicLimit = dynamicLimit;
			return this;
		}

		/**
		 * Build the manager and create the configured caches.
		 * @return the manager
		 * @throws IllegalStateException if an L2 store is set without a codec
		 */
		public TieredCacheManager build() {
			if (this.store != null && this.codec == null) {
				throw new IllegalStateException("A codec is required when an L2 store is set");
			}
			return new TieredCacheManager(this);
		}

	}

}
