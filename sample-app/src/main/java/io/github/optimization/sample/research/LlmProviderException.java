package io.github.optimization.sample.research;

/**
 * The simulated provider failed (rate limited, overloaded, timed out).
 */
public class LlmProviderException extends RuntimeException {

	public LlmProviderException(String message) {
		super(message);
	}

}
