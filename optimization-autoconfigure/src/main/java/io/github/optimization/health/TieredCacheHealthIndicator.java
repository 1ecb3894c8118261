package io.github.optimization.health;

import java.util.function.BooleanSupplier;

import io.github.optimization.cache.TieredCacheManager;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Health of the tiered caches. Details show the mode (two-level or in-process only), the
 * circuit breaker's state, whether Redis answers, whether invalidations are subscribed, and
 * {@code "degraded: serving from L1"} when the Redis level is unavailable. The status stays
 * UP while degraded (the caches still serve), unless configured to report OUT_OF_SERVICE so
 * that a readiness group including it takes the instance out of rotation. It is never part of
 * liveness: a Redis outage must not restart the application.
 */
public class TieredCacheHealthIndicator extends AbstractHealthIndicator {

	private final TieredCacheManager manager;

	private final BooleanSupplier redisAnswers;

	private final BooleanSupplier subscribed;

	private final boolean failWhenDegraded;

	/**
	 * Create an indicator.
	 * @param manager the cache manager
	 * @param redisAnswers whether Redis answers a PING now (bounded by the cache's command
	 * timeout)
	 * @param subscribed whether the invalidation subscription is established, or
	 * {@code null} when invalidations are disabled
	 * @param failWhenDegraded whether to report OUT_OF_SERVICE while degraded
	 */
	public TieredCacheHealthIndicator(TieredCacheManager manager, BooleanSupplier redisAnswers,
			BooleanSupplier subscribed, boolean failWhenDegraded) {
		super("Tiered cache health check failed");
		this.manager = manager;
		this.redisAnswers = redisAnswers;
		this.subscribed = subscribed;
		this.failWhenDegraded = failWhenDegraded;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		if (!this.manager.isTwoLevel()) {
			builder.up().withDetail("mode", "in-process only (no Redis configured)");
			return;
		}
		String breaker = this.manager.getGuard().state();
		boolean open = "OPEN".equals(breaker) || "FORCED_OPEN".equals(breaker);
		// While the breaker is open the cache makes no Redis calls, and neither does this check.
		boolean reachable = !open && this.redisAnswers.getAsBoolean();
		builder.withDetail("mode", "two-level")
			.withDetail("breaker", breaker)
			.withDetail("redis", reachable ? "reachable" : "unreachable")
			.withDetail("invalidations", (this.subscribed == null) ? "disabled"
					: this.subscribed.getAsBoolean() ? "subscribed" : "not subscribed");
		if (reachable) {
			builder.up();
		}
		else {
			builder.withDetail("state", "degraded: serving from L1");
			builder.status(this.failWhenDegraded ? Status.OUT_OF_SERVICE : Status.UP);
		}
	}

}
