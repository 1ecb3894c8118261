package io.github.optimization.llm;

/**
 * What one LLM (or paid API) call used: the model that answered and the tokens it read
 * and wrote. A result type that implements this lets the cache count the tokens and money
 * each call spent and each cache hit saved, with no further configuration; a record with
 * components {@code model}, {@code inputTokens} and {@code outputTokens} implements it as
 * written.
 *
 * <pre class="code">
 * public record Answer(String text, String model, long inputTokens, long outputTokens) implements LlmUsage {
 * }
 * </pre>
 */
public interface LlmUsage {

	/**
	 * The model that produced the response, as the provider names it (e.g.
	 * {@code gpt-4o-mini}); {@code null} if unknown.
	 * @return the model name, or {@code null}
	 */
	String model();

	/**
	 * Tokens the provider read (prompt, input).
	 * @return the input token count, 0 or more
	 */
	long inputTokens();

	/**
	 * Tokens the provider wrote (completion, output).
	 * @return the output token count, 0 or more
	 */
	long outputTokens();

}
