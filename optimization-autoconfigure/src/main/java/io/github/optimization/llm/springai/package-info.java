/**
 * Spring AI integration: a ChatClient advisor that caches chat responses and reads their
 * token usage.
 */
package io.github.optimization.llm.springai;
