package io.github.optimization.cache.annotation;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.Callable;

import io.github.optimization.cache.LoadOptions;
import io.github.optimization.cache.TieredCache;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.cache.Cache;

/**
 * What the operations of every annotation do with a method and its cache: run the method
 * as a cache loader, and look up, load and store on a {@link TieredCache} (with the
 * operation's TTL, declared type and single flight) or on any other Spring {@link Cache}
 * (without them). Exceptions of the method reach the caller unchanged.
 */
public final class CacheCalls {

	private CacheCalls() {
	}

	/**
	 * Run the method, as a {@link Callable} loader may: a {@code Throwable} that is
	 * neither an {@code Exception} nor an {@code Error} is wrapped in an
	 * {@link UndeclaredThrowableException}, which {@link #unwrap} takes off again.
	 * @param invocation the call
	 * @return the method's result
	 * @throws Exception what the method threw
	 */
	public static Object proceed(MethodInvocation invocation) throws Exception {
		try {
			return invocation.proceed();
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new UndeclaredThrowableException(ex);
		}
	}

	/**
	 * What the method threw, from what a cache wrapped it in.
	 * @param cause the cause of the cache's exception
	 * @return the method's own exception
	 */
	public static Throwable unwrap(Throwable cause) {
		if (cause instanceof UndeclaredThrowableException undeclared && undeclared.getUndeclaredThrowable() != null) {
			return undeclared.getUndeclaredThrowable();
		}
		return cause;
	}

	/**
	 * The cached value of a key, or the loader's (stored when the options say so).
	 * @param cache the cache
	 * @param key the key
	 * @param loader runs the method
	 * @param options the TTL, declared type and store condition of this call
	 * @return the value, possibly {@code null}
	 * @throws Throwable what the loader threw, unwrapped
	 */
	public static Object getOrLoad(Cache cache, Object key, Callable<?> loader, LoadOptions options) throws Throwable {
		if (cache instanceof TieredCache tiered) {
			try {
				return tiered.getOrLoad(key, loader, options);
			}
			catch (Cache.ValueRetrievalException ex) {
				throw unwrap(ex.getCause());
			}
		}
		Cache.ValueWrapper hit = cache.get(key);
		if (hit != null) {
			return hit.get();
		}
		Object value;
		try {
			value = loader.call();
		}
		catch (UndeclaredThrowableException ex) {
			throw unwrap(ex);
		}
		if (options.shouldStore(value)) {
			cache.put(key, value);
		}
		return value;
	}

	/**
	 * Store a value if the options say so.
	 * @param cache the cache
	 * @param key the key
	 * @param value the value
	 * @param options the TTL, declared type and store condition
	 */
	public static void store(Cache cache, Object key, Object value, LoadOptions options) {
		if (!options.shouldStore(value)) {
			return;
		}
		if (cache instanceof TieredCache tiered) {
			tiered.put(key, value, options);
		}
		else {
			cache.put(key, value);
		}
	}

}
