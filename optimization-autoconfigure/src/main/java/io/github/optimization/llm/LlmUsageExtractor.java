package io.github.optimization.llm;

/**
 * Reads what an LLM call used from its response, for responses that do not implement
 * {@link LlmUsage} themselves (e.g. a provider SDK's response type). Declare
 * implementations as beans; they are asked in their {@code @Order}/{@code Ordered} order
 * and the first non-{@code null} answer wins. Spring AI's {@code ChatResponse} is
 * understood without one.
 *
 * <p>
 * Implementations must be thread-safe and should be cheap; an exception they throw is
 * logged and counted, never passed to the caller of the LLM method.
 */
@FunctionalInterface
public interface LlmUsageExtractor {

	/**
	 * The usage of a response.
	 * @param response the response (the method's result, or the cached one), never
	 * {@code null}
	 * @return the usage, or {@code null} if this extractor does not know the response
	 * type
	 */
	LlmUsage extract(Object response);

}
