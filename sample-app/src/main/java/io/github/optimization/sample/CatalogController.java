package io.github.optimization.sample;

import java.math.BigDecimal;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * HTTP endpoints over the cached service.
 */
@RestController
public class CatalogController {

	private final CatalogService catalog;

	public CatalogController(CatalogService catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/products/{id}")
	public ResponseEntity<Product> product(@PathVariable long id) {
		return ResponseEntity.of(this.catalog.product(id));
	}

	@PutMapping("/products/{id}/price")
	public ResponseEntity<Void> updatePrice(@PathVariable long id, @RequestParam BigDecimal price) {
		this.catalog.updatePrice(id, price);
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/settings/{name}")
	public ResponseEntity<String> setting(@PathVariable String name) {
		String value = this.catalog.setting(name);
		return (value != null) ? ResponseEntity.ok(value) : ResponseEntity.notFound().build();
	}

}
