package io.github.optimization.autoconfigure.cache;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code spring.cache.type} is set: an application that names a cache type
 * (for example {@code none} in tests, or {@code redis}) gets Spring Boot's cache, not
 * ours.
 */
class NoExplicitCacheTypeCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String type = context.getEnvironment().getProperty("spring.cache.type");
		if (type != null && !type.isBlank()) {
			return ConditionOutcome.noMatch("spring.cache.type is set to '" + type + "'");
		}
		return ConditionOutcome.match("spring.cache.type is not set");
	}

}
