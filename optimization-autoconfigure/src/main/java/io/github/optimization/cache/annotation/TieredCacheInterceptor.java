package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import io.github.optimization.cache.LoadOptions;
import io.github.optimization.cache.TieredCache;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Serves {@link TieredCacheable} methods from their cache. On a tiered cache an L1 hit
 * costs one Caffeine lookup and no allocation beyond what a SpEL key needs; a miss goes
 * through {@link TieredCache#getOrLoad}, so one call per key per JVM runs the method. On
 * any other Spring cache (when the application brings its own {@link CacheManager}) the
 * annotation still caches, without the TTL or single-flight.
 *
 * <p>
 * Exceptions of the method reach the caller unchanged. Thread-safe.
 */
public final class TieredCacheInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(TieredCacheInterceptor.class);

	private final TieredCacheOperationSource source;

	private final Supplier<CacheManager> cacheManager;

	/**
	 * Create an interceptor.
	 * @param source the operation source shared with the advisor's pointcut
	 * @param cacheManager supplies the cache manager on first use
	 */
	public TieredCacheInterceptor(TieredCacheOperationSource source, Supplier<CacheManager> cacheManager) {
		this.source = source;
		this.cacheManager = cacheManager;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
		TieredCacheOperation operation = this.source.getOperation(method, targetClass);
		if (operation == null) {
			return invocation.proceed();
		}
		Object[] args = invocation.getArguments();
		CacheExpressions expressions = this.source.expressions();
		if (operation.condition != null && !expressions.condition(operation, target, args)) {
			return invocation.proceed();
		}
		Cache cache = cache(operation);
		if (cache == null) {
			return invocation.proceed();
		}
		Object key = operation.keyStrategy.key(operation, target, args);
		if (key == null) {
			throw new IllegalArgumentException("Null key for @TieredCacheable on " + operation.methodIdentity
					+ "; the key expression evaluated to null (if it names parameters, compile with -parameters)");
		}
		Object value;
		try {
			if (cache instanceof TieredCache tiered) {
				Cache.ValueWrapper hit = tiered.getFromL1(key);
				value = (hit != null) ? hit.get() : tiered.getOrLoad(key, new Invocation(invocation, operation),
						loadOptions(operation, target, args));
			}
			else {
				value = getFromOtherCache(cache, key, new Invocation(invocation, operation),
						loadOptions(operation, target, args));
			}
		}
		catch (Cache.ValueRetrievalException ex) {
			throw unwrap(ex.getCause());
		}
		return operation.optionalResult ? Optional.ofNullable(value) : value;
	}

	private LoadOptions loadOptions(TieredCacheOperation operation, Object target, Object[] args) {
		if (operation.unless == null) {
			return operation.loadOptions;
		}
		CacheExpressions expressions = this.source.expressions();
		return new LoadOptions(operation.ttl, operation.valueType,
				(result) -> !expressions.unless(operation, target, args, result));
	}

	private static Object getFromOtherCache(Cache cache, Object key, Invocation loader, LoadOptions options)
			throws Throwable {
		Cache.ValueWrapper hit = cache.get(key);
		if (hit != null) {
			return hit.get();
		}
		Object value;
		try {
			value = loader.call();
		}
		catch (UndeclaredThrowableException ex) {
			throw ex.getUndeclaredThrowable();
		}
		if (options.shouldStore(value)) {
			cache.put(key, value);
		}
		return value;
	}

	private Cache cache(TieredCacheOperation operation) {
		Cache cache = operation.cache;
		if (cache == null) {
			CacheManager manager = this.cacheManager.get();
			if (manager == null) {
				if (!operation.warnedNoCacheManager) {
					operation.warnedNoCacheManager = true;
					logger.warn("@TieredCacheable on " + operation.methodIdentity + " runs uncached: there is no "
							+ "CacheManager bean (or several without a @Primary one)");
				}
				return null;
			}
			cache = manager.getCache(operation.cacheName);
			if (cache == null) {
				throw new IllegalStateException("No cache named '" + operation.cacheName + "' for @TieredCacheable on "
						+ operation.methodIdentity + "; configure optimization.cache.caches." + operation.cacheName
						+ " or enable optimization.cache.dynamic");
			}
			if (!(cache instanceof TieredCache) && operation.ttl != null) {
				logger.warn("Cache '" + operation.cacheName + "' is a " + cache.getClass().getName()
						+ ", not a tiered cache: the ttl of @TieredCacheable on " + operation.methodIdentity
						+ " is ignored");
			}
			operation.cache = cache;
		}
		return cache;
	}

	private static Throwable unwrap(Throwable cause) {
		if (cause instanceof UndeclaredThrowableException undeclared && undeclared.getUndeclaredThrowable() != null) {
			return undeclared.getUndeclaredThrowable();
		}
		return cause;
	}

	/** Runs the method once for a cache miss, unwrapping an {@code Optional} result. */
	private static final class Invocation implements Callable<Object> {

		private final MethodInvocation invocation;

		private final TieredCacheOperation operation;

		Invocation(MethodInvocation invocation, TieredCacheOperation operation) {
			this.invocation = invocation;
			this.operation = operation;
		}

		@Override
		public Object call() throws Exception {
			Object result;
			try {
				result = this.invocation.proceed();
			}
			catch (Exception | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new UndeclaredThrowableException(ex);
			}
			if (this.operation.optionalResult) {
				return (result != null) ? ((Optional<?>) result).orElse(null) : null;
			}
			return result;
		}

	}

}
