package io.github.optimization.health;

import ${boot.health.package}.AbstractHealthIndicator;
import ${boot.health.package}.Health;
import ${boot.health.package}.Status;

/**
 * Spring Boot's view of {@link TieredCacheHealth}: UP, or OUT_OF_SERVICE while degraded when
 * so configured, with its details. A template: each Boot line compiles it with its own package
 * of the health types (see the {@code boot.*} properties of the module).
 */
public class TieredCacheHealthIndicator extends AbstractHealthIndicator {

	private final TieredCacheHealth health;

	/**
	 * Create an indicator.
	 * @param health the check to report
	 */
	public TieredCacheHealthIndicator(TieredCacheHealth health) {
		super("Tiered cache health check failed");
		this.health = health;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		TieredCacheHealth.Report report = this.health.check();
		builder.status(report.outOfService() ? Status.OUT_OF_SERVICE : Status.UP).withDetails(report.details());
	}

}
