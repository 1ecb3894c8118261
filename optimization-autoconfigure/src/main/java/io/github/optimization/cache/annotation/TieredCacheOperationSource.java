package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.github.optimization.cache.key.MethodKey;
import io.github.optimization.cache.annotation.TieredCacheOperation.KeyStrategy;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodClassKey;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.util.StringUtils;

/**
 * Finds {@link TieredCacheable} on methods and turns each into a
 * {@link TieredCacheOperation}, once per method and target class. Invalid annotations
 * (bad TTL, bad SpEL, unknown parameter names, void methods) fail when the bean is
 * proxied, that is at startup, with a message naming the method and what to change.
 *
 * <p>
 * Thread-safe.
 */
public final class TieredCacheOperationSource {

	private static final Pattern PARAMETER_REFERENCE = Pattern.compile("#(?:(?:p|a)(\\d+)|([A-Za-z_$][\\w$]*))");

	private static final Object NONE = new Object();

	private final CacheExpressions expressions = new CacheExpressions();

	private final Map<MethodClassKey, Object> operations = new ConcurrentHashMap<>(256);

	/**
	 * Last operation seen per method: lets the common case look up without allocating.
	 */
	private final Map<Method, TieredCacheOperation> lastByMethod = new ConcurrentHashMap<>(256);

	CacheExpressions expressions() {
		return this.expressions;
	}

	/**
	 * The operation of a method, or {@code null} if it is not annotated.
	 * @param method the invoked method
	 * @param targetClass the target class, may be {@code null}
	 * @return the operation, or {@code null}
	 * @throws IllegalStateException if the annotation is invalid
	 */
	TieredCacheOperation getOperation(Method method, Class<?> targetClass) {
		TieredCacheOperation last = this.lastByMethod.get(method);
		if (last != null && last.targetClass == targetClass) {
			return last;
		}
		MethodClassKey cacheKey = new MethodClassKey(method, targetClass);
		Object found = this.operations.get(cacheKey);
		if (found == null) {
			TieredCacheOperation parsed = parse(method, targetClass);
			found = (parsed != null) ? parsed : NONE;
			this.operations.put(cacheKey, found);
		}
		if (found == NONE) {
			return null;
		}
		TieredCacheOperation operation = (TieredCacheOperation) found;
		this.lastByMethod.put(method, operation);
		return operation;
	}

	/**
	 * Whether a method carries the annotation (validating it).
	 * @param method the method
	 * @param targetClass the target class
	 * @return whether it is annotated
	 */
	boolean isAnnotated(Method method, Class<?> targetClass) {
		return getOperation(method, targetClass) != null;
	}

	private TieredCacheOperation parse(Method method, Class<?> targetClass) {
		Method specific = (targetClass != null) ? AopUtils.getMostSpecificMethod(method, targetClass) : method;
		TieredCacheable annotation = AnnotatedElementUtils.findMergedAnnotation(specific, TieredCacheable.class);
		if (annotation == null && specific != method) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(method, TieredCacheable.class);
		}
		if (annotation == null) {
			return null;
		}
		String where = "@TieredCacheable on " + specific.getDeclaringClass().getName() + "." + specific.getName();
		if (!StringUtils.hasText(annotation.cache())) {
			throw new IllegalStateException(where + ": cache must name a cache");
		}
		if (void.class.equals(specific.getReturnType())) {
			throw new IllegalStateException(where + ": the method returns void, so there is nothing to cache");
		}
		if (isAsynchronous(specific.getReturnType())) {
			throw new IllegalStateException(where + ": asynchronous results ("
					+ specific.getReturnType().getSimpleName()
					+ ") are not supported by @TieredCacheable; return the value itself, or use @Cacheable, which "
					+ "caches CompletableFuture results through the same cache");
		}
		Duration ttl = parseTtl(annotation.ttl(), where);
		Class<?> resolvedTarget = (targetClass != null) ? targetClass : method.getDeclaringClass();
		String identity = methodIdentity(specific);
		KeyStrategy key = keyStrategy(annotation.key(), specific, identity, where);
		Expression condition = StringUtils.hasText(annotation.condition())
				? this.expressions.parse(annotation.condition(), "condition", specific) : null;
		Expression unless = StringUtils.hasText(annotation.unless())
				? this.expressions.parse(annotation.unless(), "unless", specific) : null;
		return new TieredCacheOperation(specific, resolvedTarget, annotation.cache(), identity, key, condition, unless,
				ttl, valueType(specific, resolvedTarget), this.expressions.parameterNames(specific));
	}

	private static boolean isAsynchronous(Class<?> type) {
		if (java.util.concurrent.Future.class.isAssignableFrom(type)
				|| java.util.concurrent.CompletionStage.class.isAssignableFrom(type)) {
			return true;
		}
		for (Class<?> c = type; c != null; c = c.getSuperclass()) {
			for (Class<?> i : c.getInterfaces()) {
				if (i.getName().equals("org.reactivestreams.Publisher")) {
					return true;
				}
			}
		}
		return type.getName().equals("org.reactivestreams.Publisher");
	}

	public static Duration parseTtl(String ttl, String where) {
		if (!StringUtils.hasText(ttl)) {
			return null;
		}
		Duration parsed;
		try {
			parsed = DurationStyle.detectAndParse(ttl.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(where + ": ttl '" + ttl
					+ "' is not a duration; use Spring's format, e.g. \"10m\", \"24h\", \"30s\" or \"PT10M\"");
		}
		if (parsed.isNegative() || parsed.toMillis() == 0) {
			throw new IllegalStateException(where + ": ttl '" + ttl + "' must be at least 1ms");
		}
		return parsed;
	}

	private KeyStrategy keyStrategy(String key, Method method, String identity, String where) {
		if (!StringUtils.hasText(key)) {
			if (method.getParameterCount() == 0) {
				MethodKey constant = new MethodKey(identity, new Object[0]);
				return (operation, target, args) -> constant;
			}
			return (operation, target, args) -> new MethodKey(identity, args.clone());
		}
		Matcher reference = PARAMETER_REFERENCE.matcher(key.trim());
		if (reference.matches()) {
			int index = parameterIndex(reference, method, key, where);
			return (operation, target, args) -> args[index];
		}
		Expression expression = this.expressions.parse(key, "key", method);
		CacheExpressions evaluator = this.expressions;
		return (operation, target, args) -> evaluator.value(expression, operation, target, args);
	}

	private int parameterIndex(Matcher reference, Method method, String key, String where) {
		if (reference.group(1) != null) {
			int index = Integer.parseInt(reference.group(1));
			if (index >= method.getParameterCount()) {
				throw new IllegalStateException(where + ": key '" + key + "' refers to parameter " + index
						+ " but the method has " + method.getParameterCount());
			}
			return index;
		}
		String name = reference.group(2);
		String[] names = this.expressions.parameterNames(method);
		if (names == null) {
			throw new IllegalStateException(where + ": key '" + key + "' names a parameter, but parameter names "
					+ "are not available; compile with -parameters or use #p0, #p1, ...");
		}
		int index = Arrays.asList(names).indexOf(name);
		if (index < 0) {
			throw new IllegalStateException(where + ": key '" + key + "' names no parameter; the parameters are "
					+ Arrays.stream(names).map((n) -> "#" + n).collect(Collectors.joining(", ")));
		}
		return index;
	}

	private static JavaType valueType(Method method, Class<?> targetClass) {
		ResolvableType returnType = ResolvableType.forMethodReturnType(method, targetClass);
		if (Optional.class.equals(returnType.resolve())) {
			returnType = returnType.getGeneric(0);
		}
		return toJavaType(returnType, TypeFactory.defaultInstance());
	}

	public static JavaType toJavaType(ResolvableType type, TypeFactory factory) {
		if (type.isArray()) {
			return factory.constructArrayType(toJavaType(type.getComponentType(), factory));
		}
		Class<?> raw = type.resolve(Object.class);
		ResolvableType[] generics = type.getGenerics();
		if (generics.length == 0 || raw.getTypeParameters().length != generics.length) {
			return factory.constructType(raw);
		}
		JavaType[] parameters = new JavaType[generics.length];
		for (int i = 0; i < generics.length; i++) {
			parameters[i] = toJavaType(generics[i], factory);
		}
		return factory.constructParametricType(raw, parameters);
	}

	public static String methodIdentity(Method method) {
		return method.getDeclaringClass().getName() + "#" + method.getName()
				+ Arrays.stream(method.getParameterTypes())
					.map(Class::getTypeName)
					.collect(Collectors.joining(",", "(", ")"));
	}

}
