package io.github.optimization.autoconfigure.cache;

import io.github.optimization.InvalidSettingException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup failure caused by an out-of-range setting of the starter (cache,
 * database or LLM): which property, its value, what it must be, and what to change.
 */
class InvalidCacheSpecFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
		String property = cause.getProperty();
		if (property.startsWith("optimization.jdbc.")) {
			return analysis("database", "docs/database.md", cause);
		}
		if (property.startsWith("optimization.llm.")) {
			return analysis("LLM", "docs/llm.md", cause);
		}
		return analysis("cache", "docs/configuration.md", cause);
	}

	private static FailureAnalysis analysis(String part, String docs, InvalidSettingException cause) {
		return new FailureAnalysis("The " + part + " configuration is invalid: " + cause.getMessage(),
				"Change '" + cause.getProperty() + "' in your configuration (see " + docs + ").", cause);
	}

}
