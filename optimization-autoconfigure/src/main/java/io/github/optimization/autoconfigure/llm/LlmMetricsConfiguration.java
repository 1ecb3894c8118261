package io.github.optimization.autoconfigure.llm;

import io.github.optimization.llm.LlmCallRecorder;
import io.github.optimization.llm.LlmMeters;
import io.github.optimization.llm.LlmPricing;
import io.github.optimization.llm.LlmUsageResolver;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code optimization.llm.*} meters, when Micrometer is on the class path. The
 * registry is looked up when the recorder is first used (after startup), so the order of
 * auto-configurations does not matter; without a registry nothing is recorded.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterRegistry.class)
class LlmMetricsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LlmCallRecorder llmCallRecorder(ObjectProvider<MeterRegistry> registry, LlmPricing pricing,
			LlmUsageResolver usages) {
		MeterRegistry meters = registry.getIfUnique();
		return (meters != null) ? new LlmMeters(meters, pricing, usages) : LlmCallRecorder.NONE;
	}

}
