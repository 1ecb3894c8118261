package io.github.optimization.cache.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a batch method, one entry per id: the method takes a collection of ids and
 * returns a map from id to value, and is called only with the ids that neither cache
 * level holds.
 *
 * <pre class="code">
 * &#64;TieredCacheableBatch(cache = "users", ttl = "10m")
 * public Map&lt;Long, User&gt; users(Set&lt;Long&gt; ids) { ... }
 * </pre>
 *
 * <p>
 * Each id's cache key is the id itself, exactly the key of
 * {@code @TieredCacheable(cache = "users", key = "#id")} on a single-id method, so batch
 * and single calls share entries. A call looks in L1, then reads the ids L1 missed from
 * Redis with one {@code MGET}, then calls the method once with the ids still missing, and
 * stores each returned value with its own TTL (written to Redis in one round trip). Ids
 * the method does not return are left out of the result and, when the cache caches nulls,
 * cached as {@code null} so the next call does not ask for them again. Values are read
 * back into the map's declared value type. Exceptions of the method reach the caller
 * unchanged and nothing is cached. With Redis unreachable, missing ids come from the
 * method.
 *
 * <p>
 * The method must take exactly one parameter, declared as {@code Collection},
 * {@code List} or {@code Set} of ids (the method receives an {@code ArrayList} or a
 * {@code LinkedHashSet}), and return {@code Map} whose key type is the ids' type.
 * Anything else fails at startup with a message naming the method. The returned map keeps
 * the order of the ids given and holds each id once.
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
public @interface TieredCacheableBatch {

	/**
	 * The cache name.
	 */
	String cache();

	/**
	 * The time to live of entries stored by this method, in Spring's duration format
	 * ({@code "10m"}, {@code "24h"}, {@code "PT30S"}). Empty uses the cache's TTL.
	 */
	String ttl() default "";

}
