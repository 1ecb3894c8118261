package io.github.optimization.metrics;

import io.github.optimization.cache.TieredCache;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider;

/**
 * Lets Spring Boot's cache metrics registrar bind {@link TieredCache}s.
 */
public class TieredCacheMeterBinderProvider implements CacheMeterBinderProvider<TieredCache> {

	@Override
	public MeterBinder getMeterBinder(TieredCache cache, Iterable<Tag> tags) {
		return new TieredCacheMeterBinder(cache, tags);
	}

}
