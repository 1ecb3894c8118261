/**
 * The two-level cache: TieredCache and TieredCacheManager implement Spring's Cache and
 * CacheManager as a small facade over package-private parts with one job each (L1 tier,
 * L2 tier, read-through, revalidation, async path). Defines the ports it needs (L2Store,
 * L2Guard, InvalidationPublisher, InvalidationHandler) and knows nothing of Redis,
 * annotations or Spring Boot.
 */
package io.github.optimization.cache;
