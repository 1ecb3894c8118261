/**
 * The Redis side of the cache core's ports, over Lettuce: the L2 store, SCAN-based
 * clears, batch reads, the invalidation channel (subscriber and publisher), and the
 * connection's outage behaviour.
 */
package io.github.optimization.cache.redis;
