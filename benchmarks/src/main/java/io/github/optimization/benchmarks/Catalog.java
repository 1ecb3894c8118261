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

	/** Counts the calls that ran a method body. */
	abstract class Counting implements Catalog {

		private final AtomicLong loads = new AtomicLong();

		/**
		 * Run the method body: count the load and make the product.
		 * @param id the id
		 * @return the product
		 */
		protected Product load(long id) {
			this.loads.incrementAndGet();
			return Product.of(id);
		}

		@Override
		public long loads() {
			return this.loads.get();
		}

	}

	/**
	 * {@code @Cacheable} with Spring's default key on cache
	 * {@value SpringProducts#CACHE}.
	 */
	class SpringCatalog extends Counting {

		@Override
		@Cacheable(SpringProducts.CACHE)
		public Product product(long id) {
			return load(id);
		}

	}

	/**
	 * {@code @TieredCacheable} with its default key on the two-level cache
	 * {@value TieredProducts#L1_AND_L2}.
	 */
	class TieredCatalog extends Counting {

		@Override
		@TieredCacheable(cache = TieredProducts.L1_AND_L2)
		public Product product(long id) {
			return load(id);
		}

	}

}
