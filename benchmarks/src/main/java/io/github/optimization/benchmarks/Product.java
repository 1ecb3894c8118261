package io.github.optimization.benchmarks;

import java.util.List;

/**
 * The value every benchmark reads: a catalogue entry with a few scalar fields and a list,
 * about 500 bytes of JSON.
 *
 * @param id the id, also the cache key
 * @param sku the stock-keeping unit
 * @param name the display name
 * @param description a paragraph of text
 * @param category the category path
 * @param priceCents the price in cents
 * @param currency the ISO currency code
 * @param stock units in stock
 * @param rating the average rating
 * @param tags search tags
 */
public record Product(long id, String sku, String name, String description, String category, long priceCents,
		String currency, int stock, double rating, List<String> tags) {

	/**
	 * The product of an id, always the same for the same id.
	 * @param id the id
	 * @return the product
	 */
	public static Product of(long id) {
		return new Product(id, "SKU-" + id, "Stainless steel water bottle, 750 ml, model " + id,
				"Double-walled vacuum insulated bottle that keeps drinks cold for 24 hours and hot for 12. "
						+ "Leak-proof lid, powder-coated finish, fits standard cup holders and most bike cages. "
						+ "Dishwasher safe.",
				"home/kitchen/drinkware/bottles", 2499 + (id % 100), "EUR", (int) (id % 500), 4.6,
				List.of("bottle", "insulated", "stainless-steel", "outdoor", "bpa-free", "gift", "dishwasher-safe"));
	}

}
