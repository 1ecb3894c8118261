package io.github.optimization.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

import io.github.optimization.cache.annotation.TieredCacheable;

/**
 * The bean read through {@code @TieredCacheable}: one method on a two-level cache, one on
 * a cache whose in-process level is disabled by configuration. Counts the calls that
 * reach the method body, so a benchmark can prove that every measured read was a hit.
 */
public class TieredProducts {

	/** The cache with both levels. */
	public static final String L1_AND_L2 = "products";

	/** The cache with the in-process level disabled. */
	public static final String L2_ONLY = "products-l2";

	private final AtomicLong loads = new AtomicLong();

	/**
	 * A product, cached in L1 and L2.
	 * @param id the id
	 * @return the product
	 */
	@TieredCacheable(cache = L1_AND_L2, key = "#id")
	public Product product(long id) {
		this.loads.incrementAndGet();
		return Product.of(id);
	}

	/**
	 * A product, cached in L2 only.
	 * @param id the id
	 * @return the product
	 */
	@TieredCacheable(cache = L2_ONLY, key = "#id")
	public Product productFromL2(long id) {
		this.loads.incrementAndGet();
		return Product.of(id);
	}

	/** How many calls ran the method body (cache misses). */
	public long loads() {
		return this.loads.get();
	}

}
