package io.github.optimization.llm;

/**
 * How one call of a cached LLM method (or a cached Spring AI chat call) uses its cache.
 * Set for a block of code with {@link LlmCacheControl}.
 */
public enum LlmCacheMode {

	/** Read the cache; on a miss call the provider and store the response. */
	DEFAULT,

	/** Neither read nor store: call the provider as if there were no cache. */
	BYPASS,

	/**
	 * Do not read, call the provider, and store the response (replacing any cached one).
	 */
	REFRESH,

	/** Read the cache; on a miss call the provider but do not store the response. */
	NO_STORE

}
