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
	 * spent), {@code false} if it was served from the cache or by another caller's load
	 * (its usage was saved)
	 */
	void record(Object response, String model, boolean providerCalled);

	/**
	 * Record a provider call that answered no caller: a background refresh
	 * (stale-while-revalidate, refresh-ahead) that replaced a cached response. Its usage
	 * is spent; no call is counted, since its callers were counted with the stale
	 * response they got. Does nothing by default.
	 * @param response the new response, may be {@code null}
	 * @param model the model named by the caller, or {@code null} to take it from the
	 * response's usage
	 */
	default void recordBackgroundCall(Object response, String model) {
	}

}
