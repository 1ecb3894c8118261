package io.github.optimization.llm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The configured price of each model, and the bounded set of model names meters are
 * tagged with: a model's tag is its configured name, or {@value #OTHER} for models
 * without a price.
 *
 * <p>
 * A model name matches a configured one when equal ignoring case, or when it starts with
 * the configured name followed by {@code -} (providers answer with dated versions:
 * {@code gpt-4o-mini-2024-07-18} is priced as {@code gpt-4o-mini}); the longest such name
 * wins. Immutable and thread-safe.
 */
public final class LlmPricing {

	/** The tag of models without a configured price. */
	public static final String OTHER = "other";

	private final Map<String, ModelPrice> prices;

	private final Map<String, String> namesByLowerCase = new LinkedHashMap<>();

	/**
	 * Create a price list.
	 * @param prices the price of each model, by the name meters use
	 * @throws IllegalArgumentException if a name is blank, is {@value #OTHER}, or appears
	 * twice ignoring case
	 */
	public LlmPricing(Map<String, ModelPrice> prices) {
		this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
		for (String name : prices.keySet()) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("A priced model name must not be blank");
			}
			String lower = name.toLowerCase(Locale.ROOT);
			if (OTHER.equals(lower)) {
				throw new IllegalArgumentException(
						"'" + OTHER + "' is the tag of models without a price; it cannot " + "be priced itself");
			}
			if (this.namesByLowerCase.put(lower, name) != null) {
				throw new IllegalArgumentException("Model '" + name + "' is priced twice (names ignore case)");
			}
		}
	}

	/** The configured model names, the tags besides {@value #OTHER}. */
	public Set<String> models() {
		return this.prices.keySet();
	}

	/**
	 * The tag of a model: its configured name, or {@value #OTHER}.
	 * @param model the model name, may be {@code null}
	 * @return the tag
	 */
	public String tag(String model) {
		if (model == null || model.isEmpty()) {
			return OTHER;
		}
		String lower = model.toLowerCase(Locale.ROOT);
		String exact = this.namesByLowerCase.get(lower);
		if (exact != null) {
			return exact;
		}
		String best = null;
		for (Map.Entry<String, String> entry : this.namesByLowerCase.entrySet()) {
			String candidate = entry.getKey();
			if (lower.startsWith(candidate) && lower.length() > candidate.length()
					&& lower.charAt(candidate.length()) == '-'
					&& (best == null || candidate.length() > best.length())) {
				best = candidate;
			}
		}
		return (best != null) ? this.namesByLowerCase.get(best) : OTHER;
	}

	/**
	 * The price of a tag.
	 * @param tag a tag from {@link #tag(String)}
	 * @return its price, {@link ModelPrice#FREE} for {@value #OTHER}
	 */
	public ModelPrice price(String tag) {
		return this.prices.getOrDefault(tag, ModelPrice.FREE);
	}

}
