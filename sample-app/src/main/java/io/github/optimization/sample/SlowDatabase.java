package io.github.optimization.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The expensive backing call the caches save: a database query that takes a configurable
 * time ({@code sample.backend-latency}, default 300ms) so hits and misses are easy to
 * tell apart by hand.
 */
@Component
public class SlowDatabase {

	private final JdbcClient jdbc;

	private final Duration latency;

	public SlowDatabase(JdbcClient jdbc, @Value("${sample.backend-latency:300ms}") Duration latency) {
		this.jdbc = jdbc;
		this.latency = latency;
	}

	public Optional<Product> product(long id) {
		simulateLatency();
		return this.jdbc.sql("SELECT id, name, price FROM product WHERE id = ?")
			.param(id)
			.query((rs, row) -> new Product(rs.getLong("id"), rs.getString("name"), rs.getBigDecimal("price"),
					Instant.now()))
			.optional();
	}

	public void updatePrice(long id, java.math.BigDecimal price) {
		this.jdbc.sql("UPDATE product SET price = ? WHERE id = ?").param(price).param(id).update();
	}

	public String setting(String name) {
		simulateLatency();
		return this.jdbc.sql("SELECT setting_value FROM setting WHERE name = ?")
			.param(name)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private void simulateLatency() {
		// The point of the sample: a slow backend the cache hides. Sleeping here stands
		// in
		// for a slow query or remote call; it is demo code, not a test waiting for time.
		try {
			Thread.sleep(this.latency.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
