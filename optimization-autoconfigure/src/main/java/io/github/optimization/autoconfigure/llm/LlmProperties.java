package io.github.optimization.autoconfigure.llm;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;

/**
 * Caching of LLM responses and accounting of their tokens and cost. A key under
 * {@code optimization.llm} that names no setting fails startup.
 */
@ConfigurationProperties(prefix = "optimization.llm", ignoreUnknownFields = false)
public class LlmProperties {

	/**
	 * Whether to cache @CachedLlmResponse methods (and ChatClient calls) and count the
	 * tokens and money they spend and save. When off, annotated methods simply run.
	 */
	private boolean enabled = true;

	/**
	 * Price of each model, in USD per million tokens, by model name as the provider
	 * reports it (a dated version such as gpt-4o-mini-2024-07-18 is priced as
	 * gpt-4o-mini). Names with dots need brackets:
	 * optimization.llm.pricing.[gpt-4.1].input. Models not listed are counted under
	 * model="other" at a cost of 0.
	 */
	private final Map<String, Price> pricing = new LinkedHashMap<>();

	/**
	 * Caching of Spring AI ChatClient calls (when Spring AI is on the class path).
	 */
	private final SpringAi springAi = new SpringAi();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, Price> getPricing() {
		return this.pricing;
	}

	public SpringAi getSpringAi() {
		return this.springAi;
	}

	/**
	 * The price of one model.
	 */
	public static class Price {

		/**
		 * USD per million input (prompt) tokens.
		 */
		private BigDecimal input = BigDecimal.ZERO;

		/**
		 * USD per million output (completion) tokens.
		 */
		private BigDecimal output = BigDecimal.ZERO;

		public BigDecimal getInput() {
			return this.input;
		}

		public void setInput(BigDecimal input) {
			this.input = input;
		}

		public BigDecimal getOutput() {
			return this.output;
		}

		public void setOutput(BigDecimal output) {
			this.output = output;
		}

	}

	/**
	 * Spring AI ChatClient support (when Spring AI is on the class path).
	 */
	public static class SpringAi {

		/**
		 * Whether to cache ChatClient calls: registers the caching advisor and adds it to
		 * every ChatClient built from Spring AI's auto-configured ChatClient.Builder.
		 */
		private boolean enabled = true;

		/**
		 * Name of the cache that holds ChatClient responses.
		 */
		private String cache = "llm-responses";

		/**
		 * Time to live of cached ChatClient responses. Unset uses the cache's TTL.
		 */
		private Duration ttl;

		/**
		 * Order of the caching advisor in the ChatClient's chain (lower runs first). The
		 * default runs after memory and retrieval advisors, so what they add to the
		 * prompt is part of the key, and just before the model is called.
		 */
		private int advisorOrder = Ordered.LOWEST_PRECEDENCE - 1000;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getCache() {
			return this.cache;
		}

		public void setCache(String cache) {
			this.cache = cache;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

		public int getAdvisorOrder() {
			return this.advisorOrder;
		}

		public void setAdvisorOrder(int advisorOrder) {
			this.advisorOrder = advisorOrder;
		}

	}

}
