/**
 * Circuit breaking for the cache's Redis tier (resilience4j), and the classification of
 * Redis failures.
 */
package io.github.optimization.resilience;
