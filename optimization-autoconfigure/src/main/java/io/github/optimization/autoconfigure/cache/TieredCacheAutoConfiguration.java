package io.github.optimization.autoconfigure.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.optimization.cache.CacheSpec;
import io.github.optimization.cache.InvalidCacheSpecException;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.cache.codec.CacheValueCodec;
import io.github.optimization.cache.codec.CodecSettings;
import io.github.optimization.cache.codec.TypeAllowList;
import io.github.optimization.cache.L2Guard;
import io.github.optimization.cache.L2Store;
import io.github.optimization.cache.InvalidationPublisher;
import io.github.optimization.cache.key.RedisKeyScheme;
import io.github.optimization.autoconfigure.BootAutoConfigurationNames;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;

/**
 * Auto-configures the two-level cache: a {@link TieredCacheManager} (unless the
 * application defines its own {@link CacheManager}), its Redis level when a Redis
 * connection factory exists, its codec, its thread pools, and the
 * {@code @TieredCacheable} support.
 */
@AutoConfiguration(afterName = { BootAutoConfigurationNames.REDIS_3, BootAutoConfigurationNames.REDIS_4 },
		beforeName = { BootAutoConfigurationNames.CACHE_3, BootAutoConfigurationNames.CACHE_4 })
@ConditionalOnClass({ Caffeine.class, CacheManager.class })
@ConditionalOnProperty(prefix = "optimization.cache", name = "enabled", matchIfMissing = true)
@Conditional(NoExplicitCacheTypeCondition.class)
@EnableConfigurationProperties(TieredCacheProperties.class)
@Import({ TieredCacheExecutorConfiguration.class, TieredCacheRedisConfiguration.class })
public class TieredCacheAutoConfiguration {

	private static final String CODEC = "optimization.cache.codec.";

	private static final org.apache.commons.logging.Log logger = org.apache.commons.logging.LogFactory
		.getLog(TieredCacheAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	CacheValueCodec tieredCacheValueCodec(TieredCacheProperties properties, BeanFactory beanFactory) {
		TieredCacheProperties.Codec codec = properties.getCodec();
		CodecSettings settings;
		try {
			settings = new CodecSettings(bytes(codec.getCompressionThreshold(), "compression-threshold"),
					bytes(codec.getMaxValueSize(), "max-value-size"),
					bytes(codec.getMaxDecompressedSize(), "max-decompressed-size"));
		}
		catch (InvalidCacheSpecException ex) {
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidCacheSpecException("optimization.cache.codec", "settings are inconsistent: "
					+ ex.getMessage() + " (compression-threshold, max-value-size, max-decompressed-size)");
		}
		List<String> packages = new ArrayList<>(codec.getAllowedPackages());
		try {
			new TypeAllowList(packages);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidCacheSpecException(CODEC + "allowed-packages", ex.getMessage());
		}
		if (AutoConfigurationPackages.has(beanFactory)) {
			for (String applicationPackage : AutoConfigurationPackages.get(beanFactory)) {
				try {
					new TypeAllowList(List.of(applicationPackage));
					packages.add(applicationPackage);
				}
				catch (IllegalArgumentException ex) {
					logger.warn("The application's package '" + applicationPackage + "' is too broad to allow for "
							+ "cached values; values of caches without a declared type (plain @Cacheable) from it "
							+ "read as misses unless listed in " + CODEC + "allowed-packages");
				}
			}
		}
		TypeAllowList allowList = new TypeAllowList(packages);
		return new CacheValueCodec(CacheValueCodec.defaultObjectMapper(), settings, allowList);
	}

	private static int bytes(DataSize size, String property) {
		if (size == null || size.isNegative() || size.toBytes() > Integer.MAX_VALUE) {
			throw new InvalidCacheSpecException(CODEC + property, "must be between 0B and 2GB, was " + size);
		}
		return (int) size.toBytes();
	}

	@Bean
	@ConditionalOnMissingBean(CacheManager.class)
	TieredCacheManager cacheManager(TieredCacheProperties properties, CacheValueCodec codec,
			ObjectProvider<L2Store> l2Store, ObjectProvider<L2Guard> guard,
			ObjectProvider<InvalidationPublisher> invalidationPublisher,
			ObjectProvider<TieredCacheManagerCustomizer> customizers,
			@Qualifier(TieredCacheExecutorConfiguration.ASYNC_EXECUTOR) Executor asyncExecutor,
			@Qualifier(TieredCacheExecutorConfiguration.REFRESH_EXECUTOR) Executor refreshExecutor) {
		CacheSpec defaults = CacheSpecs.defaults(properties);
		if (properties.getDynamicLimit() < 0) {
			throw new InvalidCacheSpecException("optimization.cache.dynamic-limit",
					"must not be negative, was " + properties.getDynamicLimit());
		}
		RedisKeyScheme keyScheme;
		try {
			keyScheme = new RedisKeyScheme(properties.getRedis().getKeyPrefix(),
					properties.getRedis().getSchemaVersion());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidCacheSpecException("optimization.cache.redis.schema-version", ex.getMessage());
		}
		TieredCacheManager.Builder builder = TieredCacheManager.builder()
			.defaults(defaults)
			.dynamic(properties.isDynamic())
			.dynamicLimit(properties.getDynamicLimit())
			.l2Store(l2Store.getIfAvailable())
			.guard(guard.getIfAvailable(() -> L2Guard.NONE))
			.keyScheme(keyScheme)
			.codec(codec);
		builder.sharedExecutors(asyncExecutor, refreshExecutor);
		invalidationPublisher.ifAvailable(builder::invalidationPublisher);
		CacheSpecs.perCache(properties, defaults).forEach(builder::cache);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

}
