/**
 * Meter binders of the cache and the names of every meter the starter publishes.
 */
package io.github.optimization.metrics;
