/**
 * HikariCP sized and checked for the machine, read-replica routing, and slow-query
 * detection with meters.
 */
package io.github.optimization.jdbc;
