/**
 * Value encoding for the shared level: JSON bound to declared types with an allow-list,
 * compression, size limits; bad bytes become a rejection, never an exception at the
 * caller. Never uses Java serialization.
 */
package io.github.optimization.cache.codec;
