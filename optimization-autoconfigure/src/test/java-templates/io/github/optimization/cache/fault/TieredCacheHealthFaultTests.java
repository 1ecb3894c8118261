package io.github.optimization.cache.fault;

import java.time.Duration;

import io.github.optimization.autoconfigure.health.TieredCacheHealthAutoConfiguration;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.fault.FaultFixture.Database;
import io.github.optimization.cache.redis.InvalidationBusState;
import io.github.optimization.health.TieredCacheHealthIndicator;
import io.github.optimization.test.BootAutoConfigurations;
import io.github.optimization.test.redis.RedisServerExtension;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import ${boot.health.package}.Health;
import ${boot.health.package}.Status;
import ${boot.health.endpoint.package}.HealthEndpoint;
import ${boot.health.endpoint.package}.HealthEndpointGroups;

import static io.github.optimization.cache.fault.FaultFixture.N_MIN;
import static io.github.optimization.cache.fault.FaultFixture.T_CMD;
import static io.github.optimization.cache.fault.FaultFixture.W_OPEN;
import static io.github.optimization.cache.fault.FaultFixture.breaker;
import static io.github.optimization.cache.fault.FaultFixture.cache;
import static io.github.optimization.cache.fault.FaultFixture.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * F21 (health part): with Redis hung or dead the tiered cache's health stays UP with
 * "degraded: serving from L1" and the breaker state in its details, or OUT_OF_SERVICE when
 * configured to; it is in no probe group by default, so liveness stays UP, and readiness
 * follows it only when the application adds it to that group.
 */
@Tag("fault")
class TieredCacheHealthFaultTests {

	private static final String DEGRADED = "degraded: serving from L1";

	@RegisterExtension
	final RedisServerExtension redis = new RedisServerExtension();

	private ApplicationContextRunner runner() {
		return FaultFixture.runner(this.redis.port())
			.withConfiguration(AutoConfigurations.of(TieredCacheHealthAutoConfiguration.class,
					BootAutoConfigurations.HEALTH_CONTRIBUTOR, BootAutoConfigurations.HEALTH_CONTRIBUTOR_REGISTRY,
					BootAutoConfigurations.HEALTH_ENDPOINT,
					ApplicationAvailabilityAutoConfiguration.class, BootAutoConfigurations.AVAILABILITY_HEALTH_CONTRIBUTOR,
					BootAutoConfigurations.AVAILABILITY_PROBES))
			.withPropertyValues("management.endpoint.health.probes.enabled=true",
					"management.endpoint.health.show-details=always");
	}

	@Test
	void hungRedisIsReportedDegradedButUpAndNeverInTheLivenessGroup() {
		try {
			runner().run((context) -> {
				running(context);
				TieredCacheHealthIndicator indicator = context.getBean(TieredCacheHealthIndicator.class);
				await().atMost(Duration.ofSeconds(10)).until(context.getBean(InvalidationBusState.class)::isSubscribed);
				Health healthy = indicator.health();
				assertThat(healthy.getStatus()).isEqualTo(Status.UP);
				assertThat(healthy.getDetails()).containsEntry("mode", "two-level")
					.containsEntry("breaker", "CLOSED")
					.containsEntry("redis", "reachable")
					.containsEntry("invalidations", "subscribed")
					.doesNotContainKey("state");
				HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
				assertThat(groups.get("liveness").isMember("tieredCache")).isFalse();
				assertThat(groups.get("readiness").isMember("tieredCache")).isFalse();
				assertThat(groups.getPrimary().isMember("tieredCache")).isTrue();

				this.redis.freeze();
				// Breaker still closed: the check pings Redis, bounded by the command timeout.
				long start = System.nanoTime();
				Health hung = indicator.health();
				long closedCheck = System.nanoTime() - start;
				assertThat(hung.getStatus()).isEqualTo(Status.UP);
				assertThat(hung.getDetails()).containsEntry("state", DEGRADED)
					.containsEntry("breaker", "CLOSED")
					.containsEntry("redis", "unreachable");
				assertThat(Duration.ofNanos(closedCheck)).isLessThan(T_CMD.plusMillis(250));

				openBreaker(context);
				start = System.nanoTime();
				Health open = indicator.health();
				long openCheck = System.nanoTime() - start;
				report("health with Redis frozen took " + Latencies.format(closedCheck) + " (breaker closed) and "
						+ Latencies.format(openCheck) + " (breaker open): " + open.getDetails());
				assertThat(open.getStatus()).isEqualTo(Status.UP);
				assertThat(open.getDetails()).containsEntry("state", DEGRADED).containsEntry("breaker", "OPEN");
				assertThat(Duration.ofNanos(openCheck)).as("no Redis call while open").isLessThan(T_CMD);

				HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
				assertThat(endpoint.health().getStatus()).isEqualTo(Status.UP);
				assertThat(endpoint.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
				assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
			});
		}
		finally {
			this.redis.resume();
		}
	}

	@Test
	void deadRedisIsOutOfServiceWhenConfiguredSoWhileLivenessStaysUp() {
		runner()
			.withPropertyValues("optimization.cache.health.fail-when-degraded=true",
					"management.endpoint.health.group.readiness.include=readinessState,tieredCache")
			.run((context) -> {
				running(context);
				TieredCacheHealthIndicator indicator = context.getBean(TieredCacheHealthIndicator.class);
				HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> indicator.health().getStatus() == Status.UP);
				assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);

				this.redis.kill();
				Health dead = indicator.health();
				assertThat(dead.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(dead.getDetails()).containsEntry("state", DEGRADED).containsEntry("redis", "unreachable");
				openBreaker(context);
				Health open = indicator.health();
				report("health with Redis killed and fail-when-degraded: " + open.getStatus() + " " + open.getDetails());
				assertThat(open.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(open.getDetails()).containsEntry("breaker", "OPEN");
				assertThat(endpoint.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(endpoint.healthForPath("readiness").getStatus()).as("the application opted in")
					.isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(endpoint.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);

				// Back: UP again without a restart, once the breaker has let a probe through.
				this.redis.restart();
				TieredCache cache = cache(context, "items");
				Database db = new Database();
				int[] n = { 0 };
				await().atMost(W_OPEN.plusSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
					String key = "after-" + n[0]++;
					cache.get(key, () -> db.load(key));
					return indicator.health().getStatus() == Status.UP;
				});
				assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
			});
	}

	/** What SpringApplication publishes once the application runs; the context runner does not. */
	private static void running(AssertableApplicationContext context) {
		AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
		AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
	}

	private static void openBreaker(AssertableApplicationContext context) {
		TieredCache cache = cache(context, "items");
		CircuitBreaker breaker = breaker(context);
		Database db = new Database();
		int n = 0;
		while (breaker.getState() != CircuitBreaker.State.OPEN && n < 10 * N_MIN) {
			String key = "k" + n++;
			assertThat(cache.get(key, () -> db.load(key))).isEqualTo(key + "@v1");
		}
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

}
