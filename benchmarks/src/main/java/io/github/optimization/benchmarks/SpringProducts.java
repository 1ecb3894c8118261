package io.github.optimization.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cache.annotation.Cacheable;

/**
 * The bean read through Spring's {@code @Cacheable}, whatever cache manager the context
 * has: once with Spring's default key (what a plain {@code @Cacheable} gets) and once
 * with {@code key = "#id"} (a SpEL expression Spring evaluates on every call), each on a
 * cache of its own. Counts the calls that reach a method body, so a benchmark can prove
 * that every measured read was a hit.
 */
public class SpringProducts {

	/** The cache of the default-key method. */
	public static final String CACHE = "products";

	/** The cache of the {@code key = "#id"} method. */
	public static final String CACHE_KEY_ID = "products-key-id";

	private final AtomicLong loads = new AtomicLong();

	/**
	 * A product, cached under Spring's default key (for one argument, the argument
	 * itself).
	 * @param id the id
	 * @return the product
	 */
	@Cacheable(CACHE)
	public Product product(long id) {
		this.loads.incrementAndGet();
		return Product.of(id);
	}

	/**
	 * A product, cached under the key of the SpEL expression {@code #id}.
	 * @param id the id
	 * @return the product
	 */
	@Cacheable(cacheNames = CACHE_KEY_ID, key = "#id")
	public Product productKeyId(long id) {
		this.loads.incrementAndGet();
		return Product.of(id);
	}

	/** How many calls ran a method body (cache misses). */
	public long loads() {
		return this.loads.get();
	}

}
