package io.github.optimization.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring's {@code @Cacheable} over {@code CaffeineCacheManager}
 * ({@link Contexts#springCaffeine}), with every key loaded in both caches (default key,
 * {@code key = "#id"}) and the cache meters bound in a Prometheus registry. Checks at the
 * end that no measured read missed.
 */
@State(Scope.Benchmark)
public class SpringCaffeineState {

	SpringProducts products;

	private ConfigurableApplicationContext context;

	private long loadsAfterWarmUp;

	/** Start the context and load every key. */
	@Setup
	public void start() {
		this.context = Contexts.springCaffeine();
		Checks.require(this.context.getBean(CacheManager.class) instanceof CaffeineCacheManager,
				"the cache manager should be Spring's CaffeineCacheManager");
		this.products = this.context.getBean(SpringProducts.class);
		SpringProducts bean = this.products;
		this.loadsAfterWarmUp = Checks.warmUp(bean::loads, bean::product, bean::productKeyId);
		Checks.productionMeters(this.context, SpringProducts.CACHE, SpringProducts.CACHE_KEY_ID);
	}

	/** Check that every measured read was a hit; stop the context. */
	@TearDown
	public void stop() {
		try {
			Checks.noMisses(this.products.loads(), this.loadsAfterWarmUp);
		}
		finally {
			this.context.close();
		}
	}

}
