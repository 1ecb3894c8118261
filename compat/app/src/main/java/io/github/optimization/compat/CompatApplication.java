package io.github.optimization.compat;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.cache.annotation.TieredCacheable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.stereotype.Service;

/**
 * The smallest application a user writes with the starter: one service whose reads are cached
 * with the starter's annotation and with Spring's. Built by a plain user pom for each Spring Boot
 * line (../boot4, ../boot3) against the starters installed in the local repository.
 */
@SpringBootApplication
@EnableCaching
public class CompatApplication {

	public static void main(String[] args) {
		SpringApplication.run(CompatApplication.class, args);
	}

	@Service
	public static class Greetings {

		private final AtomicInteger calls = new AtomicInteger();

		public int calls() {
			return this.calls.get();
		}

		@TieredCacheable(cache = "greetings", key = "#name", ttl = "10m")
		public String greet(String name) {
			this.calls.incrementAndGet();
			return "Hello, " + name;
		}

		@Cacheable("farewells")
		public String farewell(String name) {
			this.calls.incrementAndGet();
			return "Bye, " + name;
		}

	}

}
