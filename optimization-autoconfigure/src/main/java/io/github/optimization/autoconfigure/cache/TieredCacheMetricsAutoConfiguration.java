package io.github.optimization.autoconfigure.cache;

import java.util.Map;

import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.cache.redis.InvalidationBusState;
import io.github.optimization.metrics.TieredCacheManagerMeterBinder;
import io.github.optimization.autoconfigure.BootAutoConfigurationNames;
import io.github.optimization.metrics.TieredCacheMeterBinder;
import io.github.optimization.metrics.TieredCacheMeterBinderProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Meters for every tiered cache, including caches created after startup. Spring Boot's
 * own registrar is not given a binder for tiered caches (it would bind them a second
 * time); this binds each cache of each {@link TieredCacheManager} when it appears, with
 * the same tags Spring Boot's cache metrics use ({@code cache}, {@code cache.manager},
 * {@code name}) so the standard {@code cache.*} series line up with those of other cache
 * managers in one Prometheus scrape.
 */
@AutoConfiguration(after = TieredCacheAutoConfiguration.class,
		afterName = { BootAutoConfigurationNames.METRICS_3, BootAutoConfigurationNames.METRICS_4,
				BootAutoConfigurationNames.COMPOSITE_METER_REGISTRY_3,
				BootAutoConfigurationNames.COMPOSITE_METER_REGISTRY_4 },
		beforeName = { BootAutoConfigurationNames.CACHE_METRICS_3, BootAutoConfigurationNames.CACHE_METRICS_4 })
@ConditionalOnClass({ MeterRegistry.class, TieredCacheMeterBinderProvider.class })
@ConditionalOnBean(MeterRegistry.class)
public class TieredCacheMetricsAutoConfiguration {

	@Bean
	SmartInitializingSingleton tieredCacheMetricsBinder(ObjectProvider<MeterRegistry> registry,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<InvalidationBusState> invalidations) {
		return () -> {
			MeterRegistry meters = registry.getObject();
			Map<String, TieredCacheManager> managers = beanFactory.getBeansOfType(TieredCacheManager.class);
			InvalidationBusState source = invalidations.getIfAvailable();
			managers.forEach((beanName, manager) -> {
				Tags tags = Tags.of(Tag.of("cache.manager", cacheManagerName(beanName)));
				new TieredCacheManagerMeterBinder(manager, (source != null) ? source.statistics() : null, tags)
					.bindTo(meters);
				// Same tag keys as Spring Boot's registrar (it adds "name"): Prometheus
				// needs
				// every series of a meter name to have the same keys.
				manager.addCacheListener(
						(cache) -> new TieredCacheMeterBinder(cache, tags.and("name", cache.getName())).bindTo(meters));
			});
		};
	}

	/** The same naming as Spring Boot's cache metrics registrar. */
	static String cacheManagerName(String beanName) {
		String suffix = "cachemanager";
		if (beanName.length() > suffix.length() && beanName.toLowerCase().endsWith(suffix)) {
			return beanName.substring(0, beanName.length() - suffix.length());
		}
		return beanName;
	}

}
