package io.github.optimization.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.github.optimization.cache.TieredCacheManager;

/**
 * The health of the tiered caches, without Spring Boot's health types (each Boot line
 * adapts it with its own {@code TieredCacheHealthIndicator}). Details show the mode
 * (two-level or in-process only), the circuit breaker's state, whether Redis answers,
 * whether invalidations are subscribed, and {@code "degraded: serving from L1"} when the
 * Redis level is unavailable. The caches still serve while degraded, so it reports out of
 * service only when configured to, so that a readiness group including it takes the
 * instance out of rotation. It is never part of liveness: a Redis outage must not restart
 * the application. Thread-safe.
 */
public class TieredCacheHealth {

	private final TieredCacheManager manager;

	private final BooleanSupplier redisAnswers;

	private final BooleanSupplier subscribed;

	private final boolean failWhenDegraded;

	/**
	 * Create a health check.
	 * @param manager the cache manager
	 * @param redisAnswers whether Redis answers a PING now (bounded by the cache's
	 * command timeout)
	 * @param subscribed whether the invalidation subscription is established, or
	 * {@code null} when invalidations are disabled
	 * @param failWhenDegraded whether to report out of service while degraded
	 */
	public TieredCacheHealth(TieredCacheManager manager, BooleanSupplier redisAnswers, BooleanSupplier subscribed,
			boolean failWhenDegraded) {
		this.manager = manager;
		this.redisAnswers = redisAnswers;
		this.subscribed = subscribed;
		this.failWhenDegraded = failWhenDegraded;
	}

	/**
	 * Check the caches now; may PING Redis (never while the breaker is open).
	 * @return the outcome
	 */
	public Report check() {
		Map<String, Object> details = new LinkedHashMap<>();
		if (!this.manager.isTwoLevel()) {
			details.put("mode", "in-process only (no Redis configured)");
			return new Report(false, details);
		}
		String breaker = this.manager.getGuard().state();
		boolean open = "OPEN".equals(breaker) || "FORCED_OPEN".equals(breaker);
		// While the breaker is open the cache makes no Redis calls, and neither does this
		// check.
		boolean reachable = !open && this.redisAnswers.getAsBoolean();
		details.put("mode", "two-level");
		details.put("breaker", breaker);
		details.put("redis", reachable ? "reachable" : "unreachable");
		details.put("invalidations", (this.subscribed == null) ? "disabled"
				: this.subscribed.getAsBoolean() ? "subscribed" : "not subscribed");
		if (reachable) {
			return new Report(false, details);
		}
		details.put("state", "degraded: serving from L1");
		return new Report(this.failWhenDegraded, details);
	}

	/**
	 * The outcome of a check.
	 *
	 * @param outOfService whether to report OUT_OF_SERVICE (else UP)
	 * @param details the details to show, in order
	 */
	public record Report(boolean outOfService, Map<String, Object> details) {
	}

}
