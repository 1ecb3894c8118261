package io.github.optimization.llm;

import java.math.BigDecimal;

/**
 * What a model costs, in USD per million tokens.
 *
 * @param input USD per million input (prompt) tokens, 0 or more
 * @param output USD per million output (completion) tokens, 0 or more
 */
public record ModelPrice(BigDecimal input, BigDecimal output) {

	/** Free. */
	public static final ModelPrice FREE = new ModelPrice(BigDecimal.ZERO, BigDecimal.ZERO);

	private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

	/**
	 * Create a price.
	 * @throws IllegalArgumentException if a price is {@code null} or negative
	 */
	public ModelPrice {
		if (input == null || input.signum() < 0) {
			throw new IllegalArgumentException("input price must be 0 or more, was " + input);
		}
		if (output == null || output.signum() < 0) {
			throw new IllegalArgumentException("output price must be 0 or more, was " + output);
		}
	}

	/**
	 * The exact cost of input tokens.
	 * @param tokens the token count
	 * @return tokens × input price / 1,000,000, in USD
	 */
	public BigDecimal inputCost(long tokens) {
		return cost(tokens, this.input);
	}

	/**
	 * The exact cost of output tokens.
	 * @param tokens the token count
	 * @return tokens × output price / 1,000,000, in USD
	 */
	public BigDecimal outputCost(long tokens) {
		return cost(tokens, this.output);
	}

	private static BigDecimal cost(long tokens, BigDecimal pricePerMillion) {
		// Dividing by 10^6 only moves the decimal point: exact, no rounding.
		return BigDecimal.valueOf(tokens).multiply(pricePerMillion).divide(MILLION);
	}

}
