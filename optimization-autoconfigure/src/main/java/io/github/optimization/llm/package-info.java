/**
 * LLM-response caching: the CachedLlmResponse operation and interceptor, token and cost
 * accounting, prices, and the cache controls (bypass, refresh, no-store).
 */
package io.github.optimization.llm;
