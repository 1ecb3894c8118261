package io.github.optimization.autoconfigure.cache;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.optimization.autoconfigure.cache.CacheSettings.ClusterSingleFlight;
import io.github.optimization.cache.CacheSpec;

/**
 * Turns the properties into validated {@link CacheSpec}s: built-in defaults, overridden
 * by {@code optimization.cache.defaults.*}, overridden per cache by
 * {@code optimization.cache.caches.<name>.*}. Errors name the property to change.
 */
final class CacheSpecs {

	private static final String PREFIX = "optimization.cache";

	private CacheSpecs() {
	}

	static CacheSpec defaults(TieredCacheProperties properties) {
		return apply(CacheSpec.builder(), properties.getDefaults()).build(PREFIX + ".defaults");
	}

	static Map<String, CacheSpec> perCache(TieredCacheProperties properties, CacheSpec defaults) {
		Map<String, CacheSpec> specs = new LinkedHashMap<>();
		properties.getCaches()
			.forEach((name, settings) -> specs.put(name,
					apply(defaults.toBuilder(), settings).build(PREFIX + ".caches." + name)));
		return specs;
	}

	private static CacheSpec.Builder apply(CacheSpec.Builder builder, CacheSettings settings) {
		if (settings.getTtl() != null) {
			builder.ttl(settings.getTtl());
		}
		if (settings.getNullTtl() != null) {
			builder.nullTtl(settings.getNullTtl());
		}
		if (settings.getCacheNulls() != null) {
			builder.cacheNulls(settings.getCacheNulls());
		}
		if (settings.getTtlJitter() != null) {
			builder.ttlJitter(settings.getTtlJitter());
		}
		if (settings.getLoadWaitTimeout() != null) {
			builder.loadWaitTimeout(settings.getLoadWaitTimeout());
		}
		if (settings.getStaleWhileRevalidate() != null) {
			builder.staleWhileRevalidate(settings.getStaleWhileRevalidate());
		}
		if (settings.getStaleIfError() != null) {
			builder.staleIfError(settings.getStaleIfError());
		}
		if (settings.getRefreshAhead() != null) {
			builder.refreshAhead(settings.getRefreshAhead());
		}
		ClusterSingleFlight cluster = settings.getClusterSingleFlight();
		if (cluster.getEnabled() != null) {
			builder.clusterSingleFlight(cluster.getEnabled());
		}
		if (cluster.getLockTtl() != null) {
			builder.lockTtl(cluster.getLockTtl());
		}
		if (cluster.getPollInterval() != null) {
			builder.lockPollInterval(cluster.getPollInterval());
		}
		if (settings.getL1().getEnabled() != null) {
			builder.l1Enabled(settings.getL1().getEnabled());
		}
		if (settings.getL1().getMaximumSize() != null) {
			builder.l1MaximumSize(settings.getL1().getMaximumSize());
		}
		if (settings.getL1().getTtl() != null) {
			builder.l1Ttl(settings.getL1().getTtl());
		}
		if (settings.getL2().getEnabled() != null) {
			builder.l2Enabled(settings.getL2().getEnabled());
		}
		return builder;
	}

}
