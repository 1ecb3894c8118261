package io.github.optimization.cache.coherence;

import java.util.Arrays;

import io.github.optimization.cache.FlushReason;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.cache.redis.InvalidationStatistics;
import io.github.optimization.cache.redis.RedisInvalidationBus;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.context.ApplicationContext;

/**
 * One application instance of a coherence test: the beans of one context that the tests
 * read.
 */
final class Instance {

	/**
	 * What {@link #l1(String, Object)} returns when the in-process level does not hold
	 * the key.
	 */
	static final Object ABSENT = new Object() {
		@Override
		public String toString() {
			return "<absent from L1>";
		}
	};

	private final String name;

	private final ApplicationContext context;

	Instance(String name, ApplicationContext context) {
		this.name = name;
		this.context = context;
	}

	ApplicationContext context() {
		return this.context;
	}

	TieredCacheManager manager() {
		return this.context.getBean(TieredCacheManager.class);
	}

	TieredCache cache(String cacheName) {
		return (TieredCache) manager().getCache(cacheName);
	}

	RedisInvalidationBus bus() {
		return this.context.getBean(RedisInvalidationBus.class);
	}

	InvalidationStatistics stats() {
		return bus().statistics();
	}

	/** The value the in-process level holds for a key, or {@link #ABSENT}. */
	Object l1(String cacheName, Object key) {
		ValueWrapper wrapper = cache(cacheName).getFromL1(key);
		return (wrapper != null) ? wrapper.get() : ABSENT;
	}

	/** The sum of the flush counts for the given reasons. */
	long flushes(FlushReason... reasons) {
		TieredCacheManager manager = manager();
		return Arrays.stream(reasons).mapToLong(manager::flushCount).sum();
	}

	/** The sum of the flush counts for every reason. */
	long allFlushes() {
		return flushes(FlushReason.values());
	}

	@Override
	public String toString() {
		return this.name;
	}

}
