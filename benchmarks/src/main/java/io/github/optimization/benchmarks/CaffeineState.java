package io.github.optimization.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The baseline: a plain Caffeine cache, configured like the ones Spring's
 * {@code CaffeineCacheManager} gets in {@link Contexts} ({@link Contexts#CAFFEINE_SPEC}),
 * holding every key.
 */
@State(Scope.Benchmark)
public class CaffeineState {

	Cache<Long, Product> cache;

	/** Build and fill the cache. */
	@Setup
	public void start() {
		this.cache = Caffeine.from(Contexts.CAFFEINE_SPEC).build();
		for (int i = 0; i < Workload.KEY_COUNT; i++) {
			long id = Workload.FIRST_ID + i;
			this.cache.put(id, Product.of(id));
		}
	}

}
