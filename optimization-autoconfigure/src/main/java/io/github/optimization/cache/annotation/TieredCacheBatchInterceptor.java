package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.optimization.cache.TieredCache;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Serves {@link TieredCacheableBatch} methods from their cache: on a tiered cache through
 * {@link TieredCache#getAll} (L1, one {@code MGET}, one call of the method with the
 * missing ids); on any other Spring cache one lookup and one store per id, still with one
 * call of the method for the missing ids (and without the TTL). A {@code null} ids
 * argument is passed to the method as it is.
 *
 * <p>
 * Exceptions of the method reach the caller unchanged. Thread-safe.
 */
public final class TieredCacheBatchInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(TieredCacheBatchInterceptor.class);

	private final TieredCacheBatchOperationSource source;

	private final Supplier<CacheManager> cacheManager;

	/**
	 * Create an interceptor.
	 * @param source the operation source shared with the advisor's pointcut
	 * @param cacheManager supplies the cache manager on first use
	 */
	public TieredCacheBatchInterceptor(TieredCacheBatchOperationSource source, Supplier<CacheManager> cacheManager) {
		this.source = source;
		this.cacheManager = cacheManager;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
		TieredCacheBatchOperation operation = this.source.getOperation(method, targetClass);
		if (operation == null || invocation.getArguments()[0] == null) {
			return invocation.proceed();
		}
		Cache cache = cache(operation);
		if (cache == null) {
			return invocation.proceed();
		}
		Collection<?> ids = (Collection<?>) invocation.getArguments()[0];
		Function<Set<Object>, Map<Object, Object>> loader = (missing) -> call(invocation, operation, missing);
		try {
			if (cache instanceof TieredCache tiered) {
				return tiered.getAll(ids, loader, operation.loadOptions);
			}
			return getAllFromOtherCache(cache, ids, loader);
		}
		catch (MethodFailure ex) {
			throw ex.getCause();
		}
	}

	/** Calls the method once, with the missing ids only. */
	@SuppressWarnings("unchecked")
	private static Map<Object, Object> call(MethodInvocation invocation, TieredCacheBatchOperation operation,
			Set<Object> missing) {
		invocation.getArguments()[0] = operation.argument(missing);
		try {
			return (Map<Object, Object>) invocation.proceed();
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new MethodFailure(ex);
		}
	}

	private static Map<Object, Object> getAllFromOtherCache(Cache cache, Collection<?> ids,
			Function<Set<Object>, Map<Object, Object>> loader) {
		Map<Object, Object> found = new LinkedHashMap<>();
		Set<Object> missing = new LinkedHashSet<>();
		for (Object id : ids) {
			Cache.ValueWrapper hit = cache.get(id);
			if (hit == null) {
				missing.add(id);
			}
			else if (hit.get() != null) {
				found.put(id, hit.get());
			}
		}
		if (!missing.isEmpty()) {
			Map<Object, Object> loaded = loader.apply(missing);
			for (Object id : missing) {
				Object value = (loaded != null) ? loaded.get(id) : null;
				if (value != null) {
					cache.put(id, value);
					found.put(id, value);
				}
			}
		}
		Map<Object, Object> result = new LinkedHashMap<>();
		for (Object id : ids) {
			if (found.containsKey(id)) {
				result.put(id, found.get(id));
			}
		}
		return result;
	}

	private Cache cache(TieredCacheBatchOperation operation) {
		Cache cache = operation.cache;
		if (cache == null) {
			CacheManager manager = this.cacheManager.get();
			if (manager == null) {
				if (!operation.warnedNoCacheManager) {
					operation.warnedNoCacheManager = true;
					logger.warn("@TieredCacheableBatch on " + operation.methodIdentity + " runs uncached: there is no "
							+ "CacheManager bean (or several without a @Primary one)");
				}
				return null;
			}
			cache = manager.getCache(operation.cacheName);
			if (cache == null) {
				throw new IllegalStateException(
						"No cache named '" + operation.cacheName + "' for @TieredCacheableBatch on "
								+ operation.methodIdentity + "; configure optimization.cache.caches."
								+ operation.cacheName + " or enable optimization.cache.dynamic");
			}
			operation.cache = cache;
		}
		return cache;
	}

	/**
	 * Carries a checked exception of the method through the cache, to be thrown as it is.
	 */
	private static final class MethodFailure extends RuntimeException {

		MethodFailure(Throwable cause) {
			super(null, cause, false, false);
		}

	}

}
