package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.optimization.cache.LoadOptions;

import org.springframework.cache.Cache;

/**
 * Everything about one {@link TieredCacheableBatch} method that does not change between
 * calls, worked out once: the cache name, the TTL and the map's declared value type. The
 * cache itself is resolved on first use.
 */
final class TieredCacheBatchOperation {

	final Method method;

	final Class<?> targetClass;

	final String cacheName;

	final String methodIdentity;

	final LoadOptions loadOptions;

	/**
	 * Whether the ids parameter is a {@code Set} (else a {@code Collection} or
	 * {@code List}).
	 */
	private final boolean setOfIds;

	volatile Cache cache;

	volatile boolean warnedNoCacheManager;

	TieredCacheBatchOperation(Method method, Class<?> targetClass, String cacheName, String methodIdentity,
			LoadOptions loadOptions, boolean setOfIds) {
		this.method = method;
		this.targetClass = targetClass;
		this.cacheName = cacheName;
		this.methodIdentity = methodIdentity;
		this.loadOptions = loadOptions;
		this.setOfIds = setOfIds;
	}

	/** The argument for a call with some ids, of the parameter's declared type. */
	Collection<Object> argument(Set<?> ids) {
		return this.setOfIds ? new LinkedHashSet<>(ids) : new ArrayList<>(ids);
	}

}
