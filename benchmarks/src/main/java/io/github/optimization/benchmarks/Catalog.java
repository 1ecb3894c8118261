package io.github.optimization.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

import io.github.optimization.cache.annotation.TieredCacheable;

import org.springframework.cache.annotation.Cacheable;

/**
 * A read called through an interface, as an application's services often are: with
 * {@code spring.aop.proxy-target-class=false} the bean behind it gets a JDK proxy rather
 * than a CGLIB one. Used by {@link L1HitSetUps}.
 */
public interface Catalog {

	/**
	 * A product.
	 * @param id the id
	 * @return the product
	 */
	Product product(long id);

	/**
	 * How many calls ran the method body (cache misses).
	 * @return the count
	 */
	long loads();

	/**
	 * {@code @Cacheable} with Spring's default key on cache
	 * {@value SpringProducts#CACHE}.
	 */
	class SpringCatalog implements Catalog {

		private final AtomicLong loads = new AtomicLong();

		@Override
		@Cacheable(SpringProducts.CACHE)
		public Product product(long id) {
			this.loads.incrementAndGet();
			return Product.of(id);
		}

		@Override
		public long loads() {
			return this.loads.get();
		}

	}

	/**
	 * {@code @TieredCacheable} with its default key on the two-level cache
	 * {@value TieredProducts#L1_AND_L2}.
	 */
	class TieredCatalog implements Catalog {

		private final AtomicLong loads = new AtomicLong();

		@Override
		@TieredCacheable(cache = TieredProducts.L1_AND_L2)
		public Product product(long id) {
			this.loads.incrementAndGet();
			return Product.of(id);
		}

		@Override
		public long loads() {
			return this.loads.get();
		}

	}

}
