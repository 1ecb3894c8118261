package io.github.optimization.llm;

/**
 * Records the outcome of one cached LLM call: whether the provider was called, and the
 * response whose usage counts as spent (provider called) or saved (served without calling
 * it). Implementations never throw: recording must not break the business call.
 */
public interface LlmCallRecorder {

	/** Records nothing. */
	LlmCallRecorder NONE = (response, model, providerCalled) -> {
	};

	/**
	 * Record one completed call.
	 * @param response the response returned to the caller, may be {@code null}
	 * @param model the model named by the caller (e.g. the annotation's {@code model}
	 * expression), or {@code null} to take it from the response's usage
	 * @param providerCalled {@code true} if this call ran the provider (its usage was
	 * spent), {@code false} if it was served from the cache or by another caller's load (its
	 * usage was saved)
	 */
	void record(Object response, String model, boolean providerCalled);

}
