package io.github.optimization.sample;

import java.math.BigDecimal;
import java.util.Optional;

import io.github.optimization.cache.annotation.TieredCacheable;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Reads through the caches. {@link #product(long)} uses the starter's annotation with an
 * explicit key, so {@link #updatePrice(long, BigDecimal)}'s plain {@code @CacheEvict}
 * with the same key drops the same entry; {@link #setting(String)} is plain Spring
 * caching, backed by the same two-level cache manager.
 */
@Service
public class CatalogService {

	private final SlowDatabase database;

	public CatalogService(SlowDatabase database) {
		this.database = database;
	}

	@TieredCacheable(cache = "products", key = "#id", ttl = "10m")
	public Optional<Product> product(long id) {
		return this.database.product(id);
	}

	@CacheEvict(cacheNames = "products", key = "#id")
	public void updatePrice(long id, BigDecimal price) {
		this.database.updatePrice(id, price);
	}

	@Cacheable("settings")
	public String setting(String name) {
		return this.database.setting(name);
	}

}
