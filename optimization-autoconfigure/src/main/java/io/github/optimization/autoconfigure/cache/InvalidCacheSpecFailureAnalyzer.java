package io.github.optimization.autoconfigure.cache;

import io.github.optimization.cache.InvalidCacheSpecException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup failure caused by an out-of-range cache setting: which property, what
 * is wrong, and what to change.
 */
class InvalidCacheSpecFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCacheSpecException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidCacheSpecException cause) {
		return new FailureAnalysis("The cache configuration is invalid: " + cause.getMessage(),
				"Change '" + cause.getProperty() + "' in your configuration (see docs/configuration.md).", cause);
	}

}
