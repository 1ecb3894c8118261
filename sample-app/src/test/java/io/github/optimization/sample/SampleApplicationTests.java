package io.github.optimization.sample;

import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample app: with no Redis at all, and with a Redis the test starts.
 */
class SampleApplicationTests {

	@Nested
	@AutoConfigureMetrics
	@AutoConfigureTestRestTemplate
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "sample.backend-latency=50ms")
	class WithoutRedis {

		@DynamicPropertySource
		static void noRedis(DynamicPropertyRegistry registry) {
			// A port nothing listens on: the app must still start and serve (L1 only).
			registry.add("spring.data.redis.port", () -> RedisServerExtensionPorts.closedPort());
		}

		@Autowired
		TestRestTemplate http;

		@Test
		void servesProductsAndSettingsFromTheCache() {
			assertServesThroughTheCache(this.http);
		}

		@Test
		void healthIsUpAndPrometheusScrapes() {
			assertHealthAndPrometheus(this.http);
		}

		@Test
		void slowQueryIsCounted() {
			assertThat(this.http.getForObject("/reports/slow", String.class)).contains("1000000");
			assertThat(this.http.getForObject("/actuator/prometheus", String.class))
				.contains("optimization_jdbc_slow_queries_total{pool=\"");
		}

	}

	@Nested
	@AutoConfigureMetrics
	@AutoConfigureTestRestTemplate
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "sample.backend-latency=50ms")
	class WithRedis {

		@RegisterExtension
		static final RedisServerExtension redis = new RedisServerExtension();

		@DynamicPropertySource
		static void redis(DynamicPropertyRegistry registry) {
			registry.add("spring.data.redis.host", redis::host);
			registry.add("spring.data.redis.port", redis::port);
		}

		@Autowired
		TestRestTemplate http;

		@Autowired
		TieredCacheManager cacheManager;

		@Test
		void servesProductsAndSettingsFromTheCache() {
			assertServesThroughTheCache(this.http);
			assertThat(this.cacheManager.isTwoLevel()).isTrue();
			assertThat(redis.admin().dbsize()).as("entries are shared through Redis").isPositive();
		}

		@Test
		void healthIsUpAndPrometheusScrapes() {
			assertHealthAndPrometheus(this.http);
		}

	}

	static void assertServesThroughTheCache(TestRestTemplate http) {
		ResponseEntity<Product> first = http.getForEntity("/products/1", Product.class);
		ResponseEntity<Product> second = http.getForEntity("/products/1", Product.class);
		assertThat(first.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(first.getBody().name()).isEqualTo("Espresso machine");
		assertThat(second.getBody().loadedAt()).as("the second read came from the cache")
			.isEqualTo(first.getBody().loadedAt());
		http.put("/products/1/price?price=300.00", null);
		ResponseEntity<Product> afterUpdate = http.getForEntity("/products/1", Product.class);
		assertThat(afterUpdate.getBody().price()).isEqualByComparingTo("300.00");
		assertThat(http.getForEntity("/products/999", Product.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(http.getForObject("/settings/currency", String.class)).isEqualTo("EUR");
		assertThat(http.getForObject("/settings/currency", String.class)).isEqualTo("EUR");
	}

	static void assertHealthAndPrometheus(TestRestTemplate http) {
		ResponseEntity<String> liveness = http.getForEntity("/actuator/health/liveness", String.class);
		assertThat(liveness.getStatusCode()).as("liveness never depends on Redis").isEqualTo(HttpStatus.OK);
		assertThat(liveness.getBody()).contains("UP");
		http.getForEntity("/products/2", Product.class);
		http.getForEntity("/products/2", Product.class);
		String scrape = http.getForObject("/actuator/prometheus", String.class);
		assertThat(scrape).contains("cache_gets_total{cache=\"products\"")
			.contains("optimization_cache_hits_total{cache=\"products\"")
			.contains("cache_gets_total{cache=\"settings\"");
	}

	/** Finds a local port with nothing listening. */
	static final class RedisServerExtensionPorts {

		static int closedPort() {
			try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
				return socket.getLocalPort();
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
