package io.github.optimization.autoconfigure.cache;

import io.github.optimization.cache.annotation.TieredCacheAdvisor;
import io.github.optimization.cache.annotation.TieredCacheBatchAdvisor;
import io.github.optimization.cache.annotation.TieredCacheOperationSource;

import io.github.optimization.autoconfigure.BootAutoConfigurationNames;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * {@code @TieredCacheable} and {@code @TieredCacheableBatch} support: for each an advisor
 * over its operation source, plus an auto-proxy creator if the application has none (as
 * {@code @EnableCaching} does). Works over whichever {@link CacheManager} the application
 * has (the tiered one, its own, or Spring Boot's when {@code spring.cache.type} is set);
 * without any, annotated methods simply run.
 */
@AutoConfiguration(after = TieredCacheAutoConfiguration.class,
		afterName = { BootAutoConfigurationNames.CACHE_3, BootAutoConfigurationNames.CACHE_4 })
@ConditionalOnClass(CacheManager.class)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
@Import(TieredCacheAnnotationAutoConfiguration.AutoProxyRegistrar.class)
public class TieredCacheAnnotationAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static TieredCacheOperationSource tieredCacheOperationSource() {
		return new TieredCacheOperationSource();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static TieredCacheAdvisor tieredCacheAdvisor(ObjectProvider<TieredCacheOperationSource> source,
			ObjectProvider<CacheManager> cacheManager, Environment environment) {
		return new TieredCacheAdvisor(source.getObject(), cacheManager::getIfUnique, advisorOrder(environment));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static TieredCacheBatchAdvisor tieredCacheBatchAdvisor(ObjectProvider<CacheManager> cacheManager,
			Environment environment) {
		return new TieredCacheBatchAdvisor(cacheManager::getIfUnique, advisorOrder(environment));
	}

	/**
	 * The order of the caching annotations' advisors
	 * ({@code optimization.cache.advisor-order}), read from the environment so that it
	 * applies even when the tiered cache manager is not configured.
	 * @param environment the environment
	 * @return the order
	 */
	public static int advisorOrder(Environment environment) {
		return environment.getProperty("optimization.cache.advisor-order", Integer.class,
				new TieredCacheProperties().getAdvisorOrder());
	}

	/** Registers Spring's infrastructure auto-proxy creator unless one exists. */
	static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
		}

	}

}
