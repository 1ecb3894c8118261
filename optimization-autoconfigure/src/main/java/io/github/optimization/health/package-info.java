/**
 * Health of the two-level cache: degraded (serving from L1) shows in the details and
 * never fails liveness.
 */
package io.github.optimization.health;
