package io.github.optimization.cache.annotation;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.optimization.cache.TieredCache;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * What one caching annotation means on one method, worked out once by a
 * {@link CacheOperationSource}, and how that method's calls are served: the part of the
 * pipeline in which the annotations differ (key rule, result types, accounting). The
 * cache is resolved on a call's first use of it, and memoized.
 *
 * <p>
 * Subclasses are immutable apart from memoized state, and thread-safe.
 *
 * @see CacheAnnotationAdvisor how to add an annotation
 */
public abstract class CacheOperation {

	private static final Log logger = LogFactory.getLog(CacheOperation.class);

	private final AnnotatedMethod method;

	private final String cacheName;

	private final Duration ttl;

	private volatile Cache cache;

	private volatile boolean warnedNoCacheManager;

	/**
	 * Create an operation.
	 * @param method the annotated method
	 * @param cacheName the name of the cache it uses
	 * @param ttl the TTL of the entries it stores, or {@code null} for the cache's own
	 */
	protected CacheOperation(AnnotatedMethod method, String cacheName, Duration ttl) {
		this.method = method;
		this.cacheName = cacheName;
		this.ttl = ttl;
	}

	/** The annotated method. */
	public final AnnotatedMethod method() {
		return this.method;
	}

	/** The name of the cache. */
	public final String cacheName() {
		return this.cacheName;
	}

	/** The TTL of stored entries, or {@code null} for the cache's own. */
	public final Duration ttl() {
		return this.ttl;
	}

	/**
	 * Serve one call of the method.
	 * @param invocation the call (proceed it to run the method)
	 * @param cacheManager the application's cache manager, to pass to {@link #cache}
	 * @return the method's result, from the cache or from the method
	 * @throws Throwable what the method threw, unchanged
	 */
	protected abstract Object invoke(MethodInvocation invocation, Supplier<CacheManager> cacheManager) throws Throwable;

	/**
	 * The operation's cache, looked up on first use. Without a cache manager the method
	 * runs uncached ({@code null}, with a warning logged once); on a cache that is not a
	 * {@link TieredCache} a TTL is ignored (with a warning).
	 * @param cacheManager supplies the cache manager, or {@code null}
	 * @return the cache, or {@code null} if there is no cache manager
	 * @throws IllegalStateException if the cache manager has no such cache
	 */
	protected final Cache cache(Supplier<CacheManager> cacheManager) {
		Cache resolved = this.cache;
		if (resolved != null) {
			return resolved;
		}
		CacheManager manager = cacheManager.get();
		if (manager == null) {
			if (!this.warnedNoCacheManager) {
				this.warnedNoCacheManager = true;
				logger.warn(this.method.name() + " runs uncached: there is no CacheManager bean (or several without "
						+ "a @Primary one)");
			}
			return null;
		}
		resolved = manager.getCache(this.cacheName);
		if (resolved == null) {
			throw new IllegalStateException("No cache named '" + this.cacheName + "' for " + this.method.name()
					+ "; configure optimization.cache.caches." + this.cacheName
					+ " or enable optimization.cache.dynamic");
		}
		if (!(resolved instanceof TieredCache) && this.ttl != null) {
			logger.warn("Cache '" + this.cacheName + "' is a " + resolved.getClass().getName()
					+ ", not a tiered cache: the ttl of " + this.method.name() + " is ignored");
		}
		this.cache = resolved;
		return resolved;
	}

}
