package io.github.optimization.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * A small application that shows the starter: a product catalogue read through
 * {@code @TieredCacheable} and a settings lookup through plain {@code @Cacheable}, both
 * over a deliberately slow embedded database.
 */
@SpringBootApplication
@EnableCaching
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
