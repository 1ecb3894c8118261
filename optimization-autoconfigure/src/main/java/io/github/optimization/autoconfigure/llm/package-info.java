/**
 * Wiring of LLM-response caching, its token and cost meters, and the Spring AI advisor,
 * with the properties under optimization.llm.
 */
package io.github.optimization.autoconfigure.llm;
