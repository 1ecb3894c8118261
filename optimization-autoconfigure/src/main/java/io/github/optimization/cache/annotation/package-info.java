/**
 * TieredCacheable, TieredCacheableBatch and CachedLlmResponse, and the one operation,
 * interceptor and advisor pipeline they share.
 */
package io.github.optimization.cache.annotation;
