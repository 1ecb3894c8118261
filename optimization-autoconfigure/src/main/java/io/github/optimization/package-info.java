/**
 * A Spring Boot starter that makes a backend fast and hard to knock over: a two-level
 * cache, LLM-response caching, HikariCP tuning and their meters and health. This package
 * holds only what every feature shares, the exception for an invalid setting.
 */
package io.github.optimization;
