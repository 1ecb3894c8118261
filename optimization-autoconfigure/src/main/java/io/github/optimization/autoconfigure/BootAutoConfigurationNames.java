package io.github.optimization.autoconfigure;

/**
 * The names of Spring Boot's auto-configurations that the starter's are ordered against,
 * as each Boot line names them (Boot 4 moved most into per-technology modules). Used in
 * {@code afterName}/{@code beforeName}: Boot's sorter ignores the name of the other line,
 * which is not on the class path.
 */
public final class BootAutoConfigurationNames {

	/** Redis connection factory: Boot 3.5. */
	public static final String REDIS_3 = "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration";

	/** Redis connection factory: Boot 4. */
	public static final String REDIS_4 = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration";

	/** Spring's cache manager: Boot 3.5. */
	public static final String CACHE_3 = "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration";

	/** Spring's cache manager: Boot 4. */
	public static final String CACHE_4 = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration";

	/** The data source: Boot 3.5. */
	public static final String DATA_SOURCE_3 = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration";

	/** The data source: Boot 4. */
	public static final String DATA_SOURCE_4 = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

	/** Micrometer's registry customization: Boot 3.5. */
	public static final String METRICS_3 = "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration";

	/** Micrometer's registry customization: Boot 4. */
	public static final String METRICS_4 = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration";

	/** The composite meter registry: Boot 3.5. */
	public static final String COMPOSITE_METER_REGISTRY_3 = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration";

	/** The composite meter registry: Boot 4. */
	public static final String COMPOSITE_METER_REGISTRY_4 = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration";

	/** Cache metrics: Boot 3.5. */
	public static final String CACHE_METRICS_3 = "org.springframework.boot.actuate.autoconfigure.metrics.cache.CacheMetricsAutoConfiguration";

	/** Cache metrics: Boot 4. */
	public static final String CACHE_METRICS_4 = "org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration";

	private BootAutoConfigurationNames() {
	}

}
