package io.github.optimization.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cache.annotation.Cacheable;

/**
 * The bean read through Spring's {@code @Cacheable}, whatever cache manager the context
 * has. Counts the calls that reach the method body, so a benchmark can prove that every
 * measured read was a hit.
 */
public class SpringProducts {

	/** The cache name. */
	public static final String CACHE = "products";

	private final AtomicLong loads = new AtomicLong();

	/**
	 * A product, cached.
	 * @param id the id
	 * @return the product
	 */
	@Cacheable(cacheNames = CACHE, key = "#id")
	public Product product(long id) {
		this.loads.incrementAndGet();
		return Product.of(id);
	}

	/** How many calls ran the method body (cache misses). */
	public long loads() {
		return this.loads.get();
	}

}
