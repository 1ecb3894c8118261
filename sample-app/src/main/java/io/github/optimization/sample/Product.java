package io.github.optimization.sample;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A product of the catalogue.
 *
 * @param id the id
 * @param name the name
 * @param price the price
 * @param loadedAt when it was read from the database
 */
public record Product(long id, String name, BigDecimal price, Instant loadedAt) {
}
