package io.github.optimization.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.optimization.cache.TieredCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A diagnosis rather than a comparison: what in an application's set-up changes the cost
 * of an L1 hit. The same default-key read of a {@link Catalog} (Spring's
 * {@code @Cacheable} over Caffeine, or {@code @TieredCacheable} on a two-level cache) is
 * called through the interface, with the bean behind a CGLIB proxy (Spring Boot's
 * default) or a JDK proxy ({@code spring.aop.proxy-target-class=false}), and with the
 * Prometheus registry and bound cache meters or with every meter registry's export off
 * ({@code management.defaults.metrics.export.enabled=false}, so meters are no-ops).
 * Average time, one thread; run it with {@code -prof gc} for the allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class L1HitSetUps {

	/** Whose annotation: {@code spring} or {@code tiered}. */
	@Param({ "spring", "tiered" })
	public String cache;

	/** The proxy kind: {@code cglib} or {@code jdk}. */
	@Param({ "cglib", "jdk" })
	public String proxy;

	/** {@code prometheus} (as in production) or {@code none}. */
	@Param({ "prometheus", "none" })
	public String meters;

	private RedisServer redis;

	private ConfigurableApplicationContext context;

	private Catalog catalog;

	private long loadsAfterWarmUp;

	/** Start the context (and Redis for the tiered cache) and load every key. */
	@Setup
	public void start() {
		String proxyTargetClass = "spring.aop.proxy-target-class=" + "cglib".equals(this.proxy);
		String export = "management.defaults.metrics.export.enabled=" + "prometheus".equals(this.meters);
		if ("tiered".equals(this.cache)) {
			this.redis = RedisServer.start();
			this.context = Contexts.tiered(TieredApp.class, this.redis, proxyTargetClass, export);
			Checks
				.awaitRedis((TieredCache) this.context.getBean(CacheManager.class).getCache(TieredProducts.L1_AND_L2));
		}
		else {
			this.context = Contexts.springCaffeine(SpringApp.class, proxyTargetClass, export);
		}
		this.catalog = this.context.getBean(Catalog.class);
		Checks.require(
				"cglib".equals(this.proxy) ? AopUtils.isCglibProxy(this.catalog)
						: AopUtils.isJdkDynamicProxy(this.catalog),
				"the catalog should have a " + this.proxy + " proxy");
		if ("prometheus".equals(this.meters)) {
			Checks.productionMeters(this.context, SpringProducts.CACHE);
		}
		else {
			Checks.require(!Checks.hasPrometheusRegistry(this.context), "the context should export no meters");
		}
		Catalog bean = this.catalog;
		this.loadsAfterWarmUp = Checks.warmUp(bean::loads, bean::product);
	}

	/** Check that every measured read was a hit; stop the context and Redis. */
	@TearDown
	public void stop() {
		try {
			Checks.noMisses(this.catalog.loads(), this.loadsAfterWarmUp);
		}
		finally {
			this.context.close();
			if (this.redis != null) {
				this.redis.close();
			}
		}
	}

	/**
	 * An L1 hit through the catalog's interface.
	 * @param workload the keys
	 * @return the product read
	 */
	@Benchmark
	public Product hit(Workload workload) {
		return this.catalog.product(workload.nextId());
	}

	/** The starter's cache and a {@link Catalog.TieredCatalog}. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TieredApp {

		@Bean
		Catalog.TieredCatalog tieredCatalog() {
			return new Catalog.TieredCatalog();
		}

	}

	/** Spring Boot's Caffeine cache manager and a {@link Catalog.SpringCatalog}. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class SpringApp {

		@Bean
		Catalog.SpringCatalog springCatalog() {
			return new Catalog.SpringCatalog();
		}

	}

}
