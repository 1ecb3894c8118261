package io.github.optimization.cache.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a method's result in a two-level cache: the first call for a key runs the
 * method, later calls (on any instance sharing the Redis) return the cached value.
 *
 * <p>
 * Concurrent calls for the same key in one JVM run the method once. Exceptions thrown by
 * the method reach the caller unchanged and are never cached. Values are stored as JSON
 * and read back into the method's declared return type. {@code Optional} results are
 * cached by their content.
 *
 * <pre class="code">
 * &#64;TieredCacheable(cache = "users", key = "#id", ttl = "10m")
 * public User user(long id) { ... }
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
public @interface TieredCacheable {

	/**
	 * The cache name.
	 */
	String cache();

	/**
	 * A SpEL expression for the key, over the method's arguments ({@code #id},
	 * {@code #p0}, {@code #user.id}). Empty (the default) uses the method identity and
	 * all arguments, so two methods never share an entry; an explicit key names the same
	 * entry as {@code @CachePut}/{@code @CacheEvict} with the same key on the same cache.
	 */
	String key() default "";

	/**
	 * The time to live of entries stored by this method, in Spring's duration format
	 * ({@code "10m"}, {@code "24h"}, {@code "PT30S"}). Empty uses the cache's TTL.
	 */
	String ttl() default "";

	/**
	 * A SpEL expression over the arguments; when it is {@code false} the cache is
	 * bypassed entirely. Empty means always cache.
	 */
	String condition() default "";

	/**
	 * A SpEL expression over the arguments and {@code #result}; when it is {@code true}
	 * the result is returned but not stored. Empty means always store.
	 */
	String unless() default "";

}
