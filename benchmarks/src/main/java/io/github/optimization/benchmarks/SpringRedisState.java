package io.github.optimization.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.cache.RedisCacheManager;

/**
 * A private Redis and Spring's {@code @Cacheable} over {@code RedisCacheManager}
 * ({@link Contexts#springRedis}), with every key loaded under the default key and the
 * cache meters bound in a Prometheus registry. Checks at the end that no measured read
 * missed.
 */
@State(Scope.Benchmark)
public class SpringRedisState {

	SpringProducts products;

	private RedisServer redis;

	private ConfigurableApplicationContext context;

	private long loadsAfterWarmUp;

	/** Start Redis and the context, and load every key. */
	@Setup
	public void start() {
		this.redis = RedisServer.start();
		this.context = Contexts.springRedis(this.redis);
		Checks.require(this.context.getBean(CacheManager.class) instanceof RedisCacheManager,
				"the cache manager should be Spring's RedisCacheManager");
		this.products = this.context.getBean(SpringProducts.class);
		SpringProducts bean = this.products;
		this.loadsAfterWarmUp = Checks.warmUp(bean::loads, bean::product);
		Checks.productionMeters(this.context, SpringProducts.CACHE);
		Checks.printStoredSize(this.context, "RedisCacheManager value (JSON)",
				SpringProducts.CACHE + "::" + Workload.FIRST_ID);
	}

	/** Check that every measured read was a hit; stop the context and Redis. */
	@TearDown
	public void stop() {
		try {
			Checks.noMisses(this.products.loads(), this.loadsAfterWarmUp);
		}
		finally {
			this.context.close();
			this.redis.close();
		}
	}

}
