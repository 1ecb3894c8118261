package io.github.optimization.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

import io.github.optimization.cache.annotation.TieredCacheable;

import org.springframework.cache.annotation.Cacheable;

/**
 * A slow loader read through each contender's annotation: the starter's
 * {@code @TieredCacheable} and Spring's {@code @Cacheable(sync = true)}. Counts the calls
 * that reach the loader.
 */
public class StampedeService {

	/** The cache name. */
	public static final String CACHE = "stampede";

	/** How long one loader call takes. */
	public static final long LOADER_MILLIS = 50;

	private final AtomicLong loads = new AtomicLong();

	/**
	 * A product through the starter's annotation.
	 * @param id the id
	 * @return the product
	 */
	@TieredCacheable(cache = CACHE, key = "#id")
	public Product tiered(long id) {
		return load(id);
	}

	/**
	 * A product through Spring's annotation, synchronized as Spring offers.
	 * @param id the id
	 * @return the product
	 */
	@Cacheable(cacheNames = CACHE, key = "#id", sync = true)
	public Product spring(long id) {
		return load(id);
	}

	private Product load(long id) {
		this.loads.incrementAndGet();
		// The expensive call the cache saves (a 50 ms query or remote call).
		try {
			Thread.sleep(LOADER_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return Product.of(id);
	}

	/** How many calls reached the loader. */
	public long loads() {
		return this.loads.get();
	}

}
