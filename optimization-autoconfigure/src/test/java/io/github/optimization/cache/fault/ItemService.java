package io.github.optimization.cache.fault;

import io.github.optimization.cache.annotation.TieredCacheable;
import io.github.optimization.cache.fault.FaultFixture.Database;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An annotated bean over the test's database, to show faults are hidden from annotated
 * callers too.
 */
public class ItemService {

	private final Database database;

	public ItemService(Database database) {
		this.database = database;
	}

	@TieredCacheable(cache = "annotated", key = "#id")
	public String item(String id) {
		return this.database.load(id);
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		Database database() {
			return new Database();
		}

		@Bean
		ItemService itemService(Database database) {
			return new ItemService(database);
		}

	}

}
