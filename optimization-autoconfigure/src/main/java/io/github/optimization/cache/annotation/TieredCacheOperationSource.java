package io.github.optimization.cache.annotation;

/**
 * Finds {@link TieredCacheable} on methods and turns each into its operation, once per
 * method and target class. Invalid annotations (bad TTL, bad SpEL, unknown parameter
 * names, void methods) fail when the bean is proxied, that is at startup, with a message
 * naming the method and what to change.
 *
 * <p>
 * Thread-safe.
 */
public final class TieredCacheOperationSource extends CacheOperationSource<TieredCacheOperation> {

	/**
	 * Create the source.
	 */
	public TieredCacheOperationSource() {
		super(TieredCacheable.class, TieredCacheOperation::parse);
	}

}
