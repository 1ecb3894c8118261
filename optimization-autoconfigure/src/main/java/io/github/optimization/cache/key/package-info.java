/**
 * Keys: the canonical encoding of request arguments, method identities, the Redis key
 * scheme and patterns, and key digests. Depends on nothing else in the starter.
 */
package io.github.optimization.cache.key;
