package io.github.optimization.cache.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the response of an expensive LLM or paid-API call in a two-level cache, and
 * counts the tokens and money each call spent and each cache hit saved.
 *
 * <p>
 * By default the key is a SHA-256 over a canonical encoding of the method identity and
 * every argument (maps by sorted key, records and beans by property), so the model, its
 * parameters, the system prompt and the tenant are all part of the key: two requests
 * share an entry only when every argument is equal, however the arguments were built.
 * Narrow it with {@link #key()} only when you know which arguments do not change the
 * answer.
 *
 * <p>
 * Supported return types: a value, {@code Optional}, {@code CompletableFuture} and
 * Reactor's {@code Mono} (when Reactor is on the classpath). Responses are stored as JSON
 * and read back into the declared (inner) type; {@code null}, empty {@code Optional} and
 * empty {@code Mono} results are not stored. A returned {@code Mono} is lazy: nothing
 * runs until it is subscribed to. Exceptions reach the caller unchanged and are never
 * cached.
 *
 * <p>
 * Every completed call is counted ({@code optimization.llm.*} meters) as a hit when the
 * provider was not called for it (cache hit, or another caller's concurrent load) and as
 * a miss otherwise, with the tokens and cost of the response's usage
 * ({@link io.github.optimization.llm.LlmUsage}, an
 * {@link io.github.optimization.llm.LlmUsageExtractor}, or Spring AI's
 * {@code ChatResponse}) as saved or spent.
 * {@link io.github.optimization.llm.LlmCacheControl} bypasses, refreshes or skips storing
 * for the calls made in its scope.
 *
 * <p>
 * An argument (or {@link #key()} value) with no canonical encoding fails the call with an
 * {@link IllegalArgumentException} naming the parameter; an invalid annotation fails at
 * startup.
 *
 * <pre class="code">
 * &#64;CachedLlmResponse(cache = "research", ttl = "24h")
 * public Answer research(Question question) { ... }
 * </pre>
 *
 * <p>
 * Settings the annotation does not give come from
 * {@code optimization.cache.caches.<cache>.*}, then
 * {@code optimization.cache.defaults.*}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface CachedLlmResponse {

	/**
	 * The cache name.
	 */
	String cache() default "llm-responses";

	/**
	 * The time to live of stored responses, in Spring's duration format ({@code "24h"},
	 * {@code "PT30M"}). Empty uses the cache's TTL.
	 */
	String ttl() default "";

	/**
	 * A SpEL expression over the arguments ({@code #request.prompt}, {@code #p0}) whose
	 * value replaces the arguments in the key (the method identity stays in it). Empty
	 * (the default) keys on every argument. Keep in it everything that changes the
	 * answer, the tenant or user above all when the prompt holds their data.
	 */
	String key() default "";

	/**
	 * A SpEL expression over the arguments naming the model the call uses (e.g.
	 * {@code #request.model}), for the meters. Empty takes the model from the response's
	 * usage.
	 */
	String model() default "";

}
