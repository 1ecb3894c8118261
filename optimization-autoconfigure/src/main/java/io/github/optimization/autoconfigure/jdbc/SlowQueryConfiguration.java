package io.github.optimization.autoconfigure.jdbc;

import java.time.Duration;

import io.github.optimization.jdbc.SlowQueryDataSourcePostProcessor;
import io.github.optimization.jdbc.SlowQueryMetrics;
import io.github.optimization.jdbc.SlowQueryMicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Slow-query detection: every {@code DataSource} bean is wrapped in a datasource-proxy
 * proxy that logs each slow statement once (parameters redacted unless
 * {@code optimization.jdbc.log-slow-query-parameters}) and counts slow executions. With
 * {@code optimization.jdbc.slow-query-threshold} zero or negative, nothing is wrapped.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ProxyDataSourceBuilder.class)
@Conditional(SlowQueryConfiguration.OnPositiveThreshold.class)
class SlowQueryConfiguration {

	private static final String PREFIX = "optimization.jdbc";

	@Bean
	static SlowQueryDataSourcePostProcessor slowQueryDataSourcePostProcessor(Environment environment,
			ObjectProvider<SlowQueryMetrics> metrics) {
		JdbcOptimizationProperties properties = Binder.get(environment)
			.bindOrCreate(PREFIX, JdbcOptimizationProperties.class);
		return new SlowQueryDataSourcePostProcessor(properties.getSlowQueryThreshold(),
				properties.isLogSlowQueryParameters(), metrics::getIfAvailable);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class SlowQueryMetricsConfiguration {

		@Bean
		SlowQueryMicrometerMetrics slowQueryMetrics(ObjectProvider<MeterRegistry> registry) {
			return new SlowQueryMicrometerMetrics(registry);
		}

	}

	/** Matches when the slow-query threshold is positive. */
	static class OnPositiveThreshold extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Duration threshold = Binder.get(context.getEnvironment())
				.bindOrCreate(PREFIX, JdbcOptimizationProperties.class)
				.getSlowQueryThreshold();
			if (threshold == null || threshold.isZero() || threshold.isNegative()) {
				return ConditionOutcome.noMatch("optimization.jdbc.slow-query-threshold is " + threshold);
			}
			return ConditionOutcome.match("optimization.jdbc.slow-query-threshold is " + threshold);
		}

	}

}
