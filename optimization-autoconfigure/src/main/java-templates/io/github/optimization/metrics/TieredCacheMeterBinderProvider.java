package io.github.optimization.metrics;

import io.github.optimization.cache.TieredCache;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

import ${boot.cache.metrics.package}.CacheMeterBinderProvider;

/**
 * Lets Spring Boot's cache metrics registrar bind {@link TieredCache}s. A template: each Boot
 * line compiles it with its own package of {@code CacheMeterBinderProvider}.
 */
public class TieredCacheMeterBinderProvider implements CacheMeterBinderProvider<TieredCache> {

	@Override
	public MeterBinder getMeterBinder(TieredCache cache, Iterable<Tag> tags) {
		return new TieredCacheMeterBinder(cache, tags);
	}

}
