package io.github.optimization.cache;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.optimization.cache.codec.CacheValueCodec;
import io.github.optimization.cache.key.RedisKeyScheme;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Creates the caches of a {@link TieredCacheManager}: resolves a cache's settings (its
 * own, else the defaults), enforces the limit of caches created on first use, and builds
 * each cache over the shared level when there is one. Not thread-safe: the manager
 * creates caches one at a time.
 */
final class CacheFactory {

	private static final Log logger = LogFactory.getLog(TieredCacheManager.class);

	private final CacheSpec defaults;

	private final Map<String, CacheSpec> specs;

	private final int dynamicLimit;

	private final AtomicBoolean dynamicLimitWarned = new AtomicBoolean();

	private final L2Store store;

	private final RedisKeyScheme keyScheme;

	private final CacheValueCodec codec;

	private final Ticker ticker;

	private final Clock clock;

	private final Executor executor;

	private final CacheExecutors executors;

	private final L2Guard guard;

	private final InvalidationPublisher publisher;

	private final OutageLog outageLog = new OutageLog();

	CacheFactory(CacheSpec defaults, Map<String, CacheSpec> specs, int dynamicLimit, L2Store store,
			RedisKeyScheme keyScheme, CacheValueCodec codec, Ticker ticker, Clock clock, Executor executor,
			CacheExecutors executors, L2Guard guard, InvalidationPublisher publisher) {
		this.defaults = defaults;
		this.specs = specs;
		this.dynamicLimit = dynamicLimit;
		this.store = store;
		this.keyScheme = keyScheme;
		this.codec = codec;
		this.ticker = ticker;
		this.clock = clock;
		this.executor = executor;
		this.executors = executors;
		this.guard = guard;
		this.publisher = publisher;
	}

	/**
	 * Whether a cache may be created: a configured one always, another only below the
	 * dynamic limit (the first refusal is logged as a warning).
	 * @param created how many caches exist
	 */
	boolean allows(String name, int created) {
		if (this.specs.containsKey(name) || created - this.specs.size() < this.dynamicLimit) {
			return true;
		}
		if (this.dynamicLimitWarned.compareAndSet(false, true)) {
			logger.warn("Not creating cache '" + name + "': " + this.dynamicLimit + " caches were already created on "
					+ "first use (optimization.cache.dynamic-limit); configure it under optimization.cache.caches "
					+ "(further refusals are logged at debug level)");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Not creating cache '" + name + "': dynamic limit reached");
		}
		return false;
	}

	/** A new cache with its settings. */
	TieredCache create(String name) {
		CacheSpec spec = this.specs.getOrDefault(name, this.defaults);
		if (this.store == null && !spec.l1Enabled()) {
			logger.warn("Cache '" + name + "' has its in-process level disabled but no Redis is available; "
					+ "using an in-process level so it still caches");
			spec = spec.toBuilder().l1Enabled(true).build("optimization.cache.caches." + name);
		}
		TieredCacheStatistics stats = new TieredCacheStatistics();
		L2Tier l2 = (this.store != null && spec.l2Enabled())
				? new GuardedL2Tier(name, this.store, this.keyScheme.forCache(name), this.codec, this.clock, stats,
						this.outageLog, this.guard, this.executors.async())
				: L2Tier.NONE;
		return new TieredCache(name, spec, l2, this.ticker, this.clock, this.executor, this.executors.async(),
				this.executors.refresh(), stats, this.publisher);
	}

}
