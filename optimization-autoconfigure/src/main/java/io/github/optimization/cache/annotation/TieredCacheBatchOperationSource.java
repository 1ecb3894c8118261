package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.github.optimization.cache.LoadOptions;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link TieredCacheableBatch} on methods and turns each into a
 * {@link TieredCacheBatchOperation}, once per method and target class. A wrong signature
 * (not exactly one {@code Collection}/{@code List}/{@code Set} parameter, no {@code Map}
 * result, map keys of another type than the ids), a bad TTL, or both cache annotations on
 * one method fail when the bean is proxied, that is at startup, with a message naming the
 * method and what to change.
 *
 * <p>
 * Thread-safe.
 */
public final class TieredCacheBatchOperationSource {

	private static final List<Class<?>> ID_TYPES = List.of(Collection.class, List.class, Set.class);

	private static final String EXAMPLE = "e.g. Map<Long, User> users(Set<Long> ids)";

	private static final Object NONE = new Object();

	private final Map<MethodClassKey, Object> operations = new ConcurrentHashMap<>(64);

	/**
	 * The operation of a method, or {@code null} if it is not annotated.
	 * @param method the invoked method
	 * @param targetClass the target class, may be {@code null}
	 * @return the operation, or {@code null}
	 * @throws IllegalStateException if the annotation or the method's signature is
	 * invalid
	 */
	TieredCacheBatchOperation getOperation(Method method, Class<?> targetClass) {
		MethodClassKey cacheKey = new MethodClassKey(method, targetClass);
		Object found = this.operations.get(cacheKey);
		if (found == null) {
			TieredCacheBatchOperation parsed = parse(method, targetClass);
			found = (parsed != null) ? parsed : NONE;
			this.operations.put(cacheKey, found);
		}
		return (found != NONE) ? (TieredCacheBatchOperation) found : null;
	}

	boolean isAnnotated(Method method, Class<?> targetClass) {
		return getOperation(method, targetClass) != null;
	}

	private static TieredCacheBatchOperation parse(Method method, Class<?> targetClass) {
		Method specific = (targetClass != null) ? AopUtils.getMostSpecificMethod(method, targetClass) : method;
		TieredCacheableBatch annotation = AnnotatedElementUtils.findMergedAnnotation(specific,
				TieredCacheableBatch.class);
		if (annotation == null && specific != method) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(method, TieredCacheableBatch.class);
		}
		if (annotation == null) {
			return null;
		}
		String where = "@TieredCacheableBatch on " + specific.getDeclaringClass().getName() + "." + specific.getName();
		if (AnnotatedElementUtils.hasAnnotation(specific, TieredCacheable.class)) {
			throw new IllegalStateException(where + ": the method also has @TieredCacheable; keep one of them");
		}
		if (!StringUtils.hasText(annotation.cache())) {
			throw new IllegalStateException(where + ": cache must name a cache");
		}
		if (specific.getParameterCount() != 1 || !ID_TYPES.contains(specific.getParameterTypes()[0])) {
			throw new IllegalStateException(where + ": the method must take exactly one parameter, the ids, declared "
					+ "as Collection, List or Set (" + EXAMPLE + "); it takes "
					+ Arrays.stream(specific.getGenericParameterTypes())
						.map((type) -> type.getTypeName())
						.collect(Collectors.joining(", ", "(", ")")));
		}
		if (!Map.class.equals(specific.getReturnType())) {
			throw new IllegalStateException(where + ": the method must return Map from id to value, declared as "
					+ "java.util.Map (" + EXAMPLE + "); it returns " + specific.getGenericReturnType().getTypeName());
		}
		Class<?> resolvedTarget = (targetClass != null) ? targetClass : method.getDeclaringClass();
		ResolvableType ids = ResolvableType.forMethodParameter(specific, 0, resolvedTarget).getGeneric(0);
		ResolvableType map = ResolvableType.forMethodReturnType(specific, resolvedTarget);
		Class<?> idType = ids.resolve();
		Class<?> keyType = map.getGeneric(0).resolve();
		if (idType != null && keyType != null && !idType.equals(keyType)) {
			throw new IllegalStateException(where + ": the ids are " + idType.getName() + " but the keys of the "
					+ "returned map are " + keyType.getName() + "; each id must be a key of the map, so declare both "
					+ "with the same type (" + EXAMPLE + ")");
		}
		Duration ttl = TieredCacheOperationSource.parseTtl(annotation.ttl(), where);
		JavaType valueType = TieredCacheOperationSource.toJavaType(map.getGeneric(1), TypeFactory.defaultInstance());
		return new TieredCacheBatchOperation(specific, resolvedTarget, annotation.cache(),
				TieredCacheOperationSource.methodIdentity(specific), new LoadOptions(ttl, valueType, null),
				Set.class.equals(specific.getParameterTypes()[0]));
	}

}
