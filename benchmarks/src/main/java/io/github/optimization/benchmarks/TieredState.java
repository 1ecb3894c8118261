package io.github.optimization.benchmarks;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.key.RedisKeyScheme;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A private Redis and the starter's auto-configured context ({@link Contexts#tiered}),
 * with every key loaded into all three caches and their meters bound in a Prometheus
 * registry. Checks that the caches are what the benchmarks claim (two levels; L2 only)
 * and, at the end, that no measured read missed.
 */
@State(Scope.Benchmark)
public class TieredState {

	TieredProducts products;

	private RedisServer redis;

	private ConfigurableApplicationContext context;

	private TieredCache l2Only;

	private long loadsAfterWarmUp;

	/** Start Redis and the context, and load every key. */
	@Setup
	public void start() {
		this.redis = RedisServer.start();
		this.context = Contexts.tiered(this.redis);
		this.products = this.context.getBean(TieredProducts.class);
		CacheManager cacheManager = this.context.getBean(CacheManager.class);
		for (String name : new String[] { TieredProducts.L1_AND_L2, TieredProducts.L1_AND_L2_KEY_ID }) {
			TieredCache cache = (TieredCache) cacheManager.getCache(name);
			Checks.require(cache.isTwoLevel() && cache.getSpec().l1Enabled(), cache + " should have both levels");
		}
		this.l2Only = (TieredCache) cacheManager.getCache(TieredProducts.L2_ONLY);
		Checks.require(this.l2Only.isTwoLevel() && !this.l2Only.getSpec().l1Enabled(),
				this.l2Only + " should have its in-process level disabled");
		Checks.awaitRedis(this.l2Only);
		TieredProducts bean = this.products;
		this.loadsAfterWarmUp = Checks.warmUp(bean::loads, bean::product, bean::productKeyId, bean::productFromL2);
		Checks.require(this.l2Only.getStatistics().l2Hits() >= Workload.KEY_COUNT,
				"L2-only reads did not come from Redis");
		Checks.productionMeters(this.context, TieredProducts.L1_AND_L2, TieredProducts.L1_AND_L2_KEY_ID,
				TieredProducts.L2_ONLY);
		Checks.printStoredSize(this.context, "@TieredCacheable value (envelope + JSON)",
				new RedisKeyScheme("opt:", 1).forCache(TieredProducts.L2_ONLY).allKeysPattern());
	}

	/** Check that every measured read was a hit; stop the context and Redis. */
	@TearDown
	public void stop() {
		try {
			Checks.noMisses(this.products.loads(), this.loadsAfterWarmUp);
			Checks.require(this.l2Only.estimatedL1Size() == 0, "the L2-only cache holds entries in-process");
		}
		finally {
			this.context.close();
			this.redis.close();
		}
	}

}
