package io.github.optimization.autoconfigure.llm;

import io.github.optimization.llm.springai.ChatResponseUsageExtractor;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reads the usage of Spring AI's {@link ChatResponse}, when Spring AI is on the class
 * path.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ChatResponse.class)
class LlmSpringAiUsageConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ChatResponseUsageExtractor chatResponseUsageExtractor() {
		return new ChatResponseUsageExtractor();
	}

}
