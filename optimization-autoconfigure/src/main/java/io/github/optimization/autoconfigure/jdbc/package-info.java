/**
 * Wiring of the database features: HikariCP tuning, read-replica routing and slow-query
 * detection, with the properties under optimization.jdbc.
 */
package io.github.optimization.autoconfigure.jdbc;
