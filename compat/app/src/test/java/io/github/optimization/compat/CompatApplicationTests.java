package io.github.optimization.compat;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application starts with the starter of its Boot line (without Redis: the caches serve from
 * the in-process level), both annotations cache, and the starter's health indicator is there.
 */
@SpringBootTest(properties = { "spring.data.redis.port=1", "optimization.cache.redis.connect-timeout=100ms" })
class CompatApplicationTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private CompatApplication.Greetings greetings;

	@Test
	void startsAndCachesWithTheStarterOfItsBootLine() {
		assertThat(this.context.getBean(CacheManager.class)).isInstanceOf(TieredCacheManager.class);
		assertThat(this.greetings.greet("Ada")).isEqualTo("Hello, Ada");
		assertThat(this.greetings.greet("Ada")).isEqualTo("Hello, Ada");
		assertThat(this.greetings.farewell("Ada")).isEqualTo("Bye, Ada");
		assertThat(this.greetings.farewell("Ada")).isEqualTo("Bye, Ada");
		assertThat(this.greetings.calls()).isEqualTo(2);
		assertThat(this.context.containsBean("tieredCacheHealthIndicator")).isTrue();
		TieredCache greetings = (TieredCache) this.context.getBean(TieredCacheManager.class).getCache("greetings");
		assertThat(greetings.getStatistics().l1Hits()).isOne();
		assertThat(this.context.getBeanNamesForType(MeterRegistry.class)).isNotEmpty();
	}

}
