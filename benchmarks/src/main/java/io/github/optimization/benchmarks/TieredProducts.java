package io.github.optimization.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

import io.github.optimization.cache.annotation.TieredCacheable;

/**
 * The bean read through {@code @TieredCacheable}: with the default key and with
 * {@code key = "#id"} on two-level caches, and with the default key on a cache whose
 * in-process level is disabled by configuration. Each method has a cache of its own.
 * Counts the calls that reach a method body, so a benchmark can prove that every measured
 * read was a hit.
 */
public class TieredProducts {

	/** The two-level cache of the default-key method. */
	public static final String L1_AND_L2 = "products";

	/** The two-level cache of the {@code key = "#id"} method. */
	public static final String L1_AND_L2_KEY_ID = "products-key-id";

	/** The cache with the in-process level disabled. */
	public static final String L2_ONLY = "products-l2";

	private final AtomicLong loads = new AtomicLong();

	/**
	 * A product, cached in L1 and L2 under the default key (method and arguments).
	 * @param id the id
	 * @return the product
	 */
	@TieredCacheable(cache = L1_AND_L2)
	public Product product(long id) {
		this.loads.incrementAndGet();
		return Product.of(id);
	}

	/**
	 * A product, cached in L1 and L2 under the key {@code #id}.
	 * @param id the id
	 * @return the product
	 */
	@TieredCacheable(cache = L1_AND_L2_KEY_ID, key = "#id")
	public Product productKeyId(long id) {
		this.loads.incrementAndGet();
		return Product.of(id);
	}

	/**
	 * A product, cached in L2 only, under the default key.
	 * @param id the id
	 * @return the product
	 */
	@TieredCacheable(cache = L2_ONLY)
	public Product productFromL2(long id) {
		this.loads.incrementAndGet();
		return Product.of(id);
	}

	/** How many calls ran a method body (cache misses). */
	public long loads() {
		return this.loads.get();
	}

}
