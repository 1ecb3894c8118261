/**
 * Spring Boot auto-configuration of the starter: one auto-configuration per concern in
 * the packages below, with its properties. Only this package and those below it know
 * about Spring Boot's auto-configuration; the features know nothing of how they are
 * wired.
 */
package io.github.optimization.autoconfigure;
