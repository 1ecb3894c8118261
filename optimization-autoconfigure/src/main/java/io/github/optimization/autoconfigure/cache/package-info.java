/**
 * Wiring of the two-level cache: the cache manager, its Redis side, annotations, meters,
 * and the properties under optimization.cache.
 */
package io.github.optimization.autoconfigure.cache;
