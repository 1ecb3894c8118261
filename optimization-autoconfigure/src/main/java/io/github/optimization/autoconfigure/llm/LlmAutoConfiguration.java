package io.github.optimization.autoconfigure.llm;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.optimization.InvalidSettingException;
import io.github.optimization.autoconfigure.cache.TieredCacheAnnotationAutoConfiguration;
import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.llm.CachedLlmResponseAdvisor;
import io.github.optimization.llm.LlmCallRecorder;
import io.github.optimization.llm.LlmPricing;
import io.github.optimization.llm.LlmUsageExtractor;
import io.github.optimization.llm.LlmUsageResolver;
import io.github.optimization.llm.ModelPrice;

import io.github.optimization.autoconfigure.BootAutoConfigurationNames;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@code @CachedLlmResponse} support and LLM usage accounting: the advisor of the
 * annotation (over whichever {@link CacheManager} the application has), the validated
 * price list, the usage resolver over the application's {@link LlmUsageExtractor}s, the
 * meters (when a {@code MeterRegistry} exists) and the Spring AI support (when Spring AI
 * is on the class path).
 */
@AutoConfiguration(after = { TieredCacheAutoConfiguration.class, TieredCacheAnnotationAutoConfiguration.class },
		afterName = { BootAutoConfigurationNames.CACHE_3, BootAutoConfigurationNames.CACHE_4 })
@ConditionalOnProperty(prefix = "optimization.llm", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(LlmProperties.class)
@Import({ LlmAutoConfiguration.AutoProxyRegistrar.class, LlmMetricsConfiguration.class,
		LlmSpringAiUsageConfiguration.class, LlmSpringAiChatClientConfiguration.class })
public class LlmAutoConfiguration {

	private static final String PRICING = "optimization.llm.pricing.";

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static CachedLlmResponseAdvisor cachedLlmResponseAdvisor(ObjectProvider<CacheManager> cacheManager,
			ObjectProvider<LlmCallRecorder> recorder, Environment environment) {
		return new CachedLlmResponseAdvisor(cacheManager::getIfUnique,
				SingletonSupplier.of(() -> recorder.getIfAvailable(() -> LlmCallRecorder.NONE)),
				TieredCacheAnnotationAutoConfiguration.advisorOrder(environment));
	}

	@Bean
	@ConditionalOnMissingBean
	LlmPricing llmPricing(LlmProperties properties) {
		Map<String, ModelPrice> prices = new LinkedHashMap<>();
		properties.getPricing().forEach((model, price) -> {
			prices.put(model, new ModelPrice(nonNegative(model, "input", price.getInput()),
					nonNegative(model, "output", price.getOutput())));
		});
		try {
			return new LlmPricing(prices);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException("optimization.llm.pricing",
					"must list each model once, under a non-blank name other than 'other', was " + prices.keySet()
							+ ": " + ex.getMessage());
		}
	}

	private static java.math.BigDecimal nonNegative(String model, String kind, java.math.BigDecimal price) {
		if (price == null || price.signum() < 0) {
			throw new InvalidSettingException(PRICING + model + "." + kind,
					"must be 0 or more (USD per million tokens), was " + price);
		}
		return price;
	}

	@Bean
	@ConditionalOnMissingBean
	LlmUsageResolver llmUsageResolver(ObjectProvider<LlmUsageExtractor> extractors) {
		return new LlmUsageResolver(extractors.orderedStream().toList());
	}

	/** Registers Spring's infrastructure auto-proxy creator unless one exists. */
	static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
		}

	}

}
