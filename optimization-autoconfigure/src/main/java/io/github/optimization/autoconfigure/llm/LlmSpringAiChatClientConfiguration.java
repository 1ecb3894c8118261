package io.github.optimization.autoconfigure.llm;

import io.github.optimization.InvalidSettingException;
import io.github.optimization.llm.LlmCallRecorder;
import io.github.optimization.llm.springai.ChatResponseCacheAdvisor;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Caches Spring AI ChatClient calls: the caching advisor, and a customizer that adds it
 * to the ChatClient.Builder Spring AI auto-configures. Only when Spring AI's ChatClient
 * is on the class path and {@code optimization.llm.spring-ai.enabled} is not
 * {@code false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ChatClient.class)
@ConditionalOnProperty(prefix = "optimization.llm.spring-ai", name = "enabled", matchIfMissing = true)
class LlmSpringAiChatClientConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ChatResponseCacheAdvisor chatResponseCacheAdvisor(LlmProperties properties,
			ObjectProvider<CacheManager> cacheManager, ObjectProvider<LlmCallRecorder> recorder) {
		LlmProperties.SpringAi springAi = properties.getSpringAi();
		if (springAi.getTtl() != null && (springAi.getTtl().isNegative() || springAi.getTtl().toMillis() == 0)) {
			throw new InvalidSettingException("optimization.llm.spring-ai.ttl",
					"must be at least 1ms (e.g. 24h), or left unset for the cache's TTL, was " + springAi.getTtl());
		}
		if (!StringUtils.hasText(springAi.getCache())) {
			throw new InvalidSettingException("optimization.llm.spring-ai.cache",
					"must name a cache (default llm-responses), was '" + springAi.getCache() + "'");
		}
		return new ChatResponseCacheAdvisor(cacheManager::getIfUnique, springAi.getCache(), springAi.getTtl(),
				SingletonSupplier.of(() -> recorder.getIfAvailable(() -> LlmCallRecorder.NONE)),
				springAi.getAdvisorOrder());
	}

	@Bean
	@ConditionalOnMissingBean(name = "chatResponseCacheChatClientCustomizer")
	ChatClientCustomizer chatResponseCacheChatClientCustomizer(ChatResponseCacheAdvisor advisor) {
		return (builder) -> builder.defaultAdvisors(advisor);
	}

}
