/**
 * Wiring of the cache's health contributor (the class is generated per Spring Boot line
 * from a template).
 */
package io.github.optimization.autoconfigure.health;
