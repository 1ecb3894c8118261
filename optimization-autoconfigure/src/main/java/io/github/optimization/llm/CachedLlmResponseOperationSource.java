package io.github.optimization.llm;

import io.github.optimization.cache.key.CanonicalKey;
import io.github.optimization.cache.annotation.CacheExpressions;
import io.github.optimization.cache.annotation.CachedLlmResponse;
import io.github.optimization.cache.annotation.TieredCacheOperationSource;
import io.github.optimization.cache.annotation.TieredCacheable;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.github.optimization.llm.CachedLlmResponseOperation.ResultKind;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.util.StringUtils;

/**
 * Finds {@link CachedLlmResponse} on methods and turns each into a
 * {@link CachedLlmResponseOperation}, once per method and target class. Invalid
 * annotations fail when the bean is proxied, that is at startup, with a message naming
 * the method and what to change: a blank cache name, a bad TTL, SpEL that does not parse
 * or names no parameter, a {@code void} result, a result type other than a value,
 * {@code Optional}, {@code CompletableFuture} or {@code Mono}, or (without {@code key}) a
 * parameter whose declared type can never be part of a canonical key.
 *
 * <p>
 * Thread-safe.
 */
public final class CachedLlmResponseOperationSource {

	private static final String ANNOTATION = "@CachedLlmResponse";

	private static final Pattern VARIABLE = Pattern.compile("#([A-Za-z_$][\\w$]*)");

	private static final Pattern POSITIONAL = Pattern.compile("[pa](\\d+)");

	private static final Set<String> BUILT_IN_VARIABLES = Set.of("root", "this");

	private static final Object NONE = new Object();

	private final CacheExpressions expressions = new CacheExpressions();

	private final Map<MethodClassKey, Object> operations = new ConcurrentHashMap<>(64);

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
	CachedLlmResponseOperation getOperation(Method method, Class<?> targetClass) {
		MethodClassKey cacheKey = new MethodClassKey(method, targetClass);
		Object found = this.operations.get(cacheKey);
		if (found == null) {
			CachedLlmResponseOperation parsed = parse(method, targetClass);
			found = (parsed != null) ? parsed : NONE;
			this.operations.put(cacheKey, found);
		}
		return (found != NONE) ? (CachedLlmResponseOperation) found : null;
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

	private CachedLlmResponseOperation parse(Method method, Class<?> targetClass) {
		Method specific = (targetClass != null) ? AopUtils.getMostSpecificMethod(method, targetClass) : method;
		CachedLlmResponse annotation = AnnotatedElementUtils.findMergedAnnotation(specific, CachedLlmResponse.class);
		if (annotation == null && specific != method) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(method, CachedLlmResponse.class);
		}
		if (annotation == null) {
			return null;
		}
		String where = ANNOTATION + " on " + specific.getDeclaringClass().getName() + "." + specific.getName();
		if (AnnotatedElementUtils.hasAnnotation(specific, TieredCacheable.class)) {
			throw new IllegalStateException(where + ": the method also has @TieredCacheable; use one of the two");
		}
		if (!StringUtils.hasText(annotation.cache())) {
			throw new IllegalStateException(where + ": cache must name a cache");
		}
		Class<?> resolvedTarget = (targetClass != null) ? targetClass : method.getDeclaringClass();
		ResolvableType returnType = ResolvableType.forMethodReturnType(specific, resolvedTarget);
		ResultKind kind = resultKind(returnType.resolve(Object.class), where);
		ResolvableType valueType = (kind == ResultKind.VALUE) ? returnType : returnType.getGeneric(0);
		Class<?> valueClass = valueType.resolve(Object.class);
		if (valueClass == void.class || valueClass == Void.class) {
			throw new IllegalStateException(where + ": the method returns " + returnType
					+ ", so there is no response to cache; return the response (or a future or Mono of it)");
		}
		if (valueClass.getName().equals("org.springframework.ai.chat.model.ChatResponse")) {
			throw new IllegalStateException(where + ": Spring AI's ChatResponse does not survive a JSON round trip, so "
					+ "it cannot be cached as it is; return your own type (e.g. a record of the text and usage "
					+ "implementing LlmUsage), or call the model through a ChatClient, whose responses the "
					+ "caching advisor caches");
		}
		Duration ttl = TieredCacheOperationSource.parseTtl(annotation.ttl(), where);
		String[] names = this.expressions.parameterNames(specific);
		Expression key = expression(annotation.key(), "key", specific, names, where);
		Expression model = expression(annotation.model(), "model", specific, names, where);
		if (key == null) {
			checkParametersAreCanonical(specific, names, where);
		}
		JavaType javaType = TieredCacheOperationSource.toJavaType(valueType, TypeFactory.defaultInstance());
		return new CachedLlmResponseOperation(specific, resolvedTarget, annotation.cache(),
				TieredCacheOperationSource.methodIdentity(specific), where, names, key, model, ttl, javaType, kind);
	}

	private static ResultKind resultKind(Class<?> type, String where) {
		if (type == Optional.class) {
			return ResultKind.OPTIONAL;
		}
		if (type == CompletableFuture.class || type == CompletionStage.class) {
			return ResultKind.FUTURE;
		}
		if (type.getName().equals("reactor.core.publisher.Mono")) {
			return ResultKind.MONO;
		}
		if (java.util.concurrent.Future.class.isAssignableFrom(type) || CompletionStage.class.isAssignableFrom(type)
				|| isPublisher(type)) {
			throw new IllegalStateException(where + ": " + type.getName() + " results are not supported; return the "
					+ "response itself, Optional, CompletableFuture or Mono (a stream of partial responses is not "
					+ "cached: collect it into one response)");
		}
		return ResultKind.VALUE;
	}

	private static boolean isPublisher(Class<?> type) {
		for (Class<?> c = type; c != null; c = c.getSuperclass()) {
			if (c.getName().equals("org.reactivestreams.Publisher")) {
				return true;
			}
			for (Class<?> i : c.getInterfaces()) {
				if (isPublisher(i)) {
					return true;
				}
			}
		}
		return false;
	}

	private Expression expression(String text, String attribute, Method method, String[] names, String where) {
		if (!StringUtils.hasText(text)) {
			return null;
		}
		Expression expression = this.expressions.parse(text, attribute, method, ANNOTATION);
		Matcher variable = VARIABLE.matcher(text);
		while (variable.find()) {
			String name = variable.group(1);
			if (BUILT_IN_VARIABLES.contains(name)) {
				continue;
			}
			Matcher positional = POSITIONAL.matcher(name);
			if (positional.matches()) {
				if (Integer.parseInt(positional.group(1)) >= method.getParameterCount()) {
					throw new IllegalStateException(where + ": " + attribute + " '" + text + "' refers to parameter "
							+ positional.group(1) + " but the method has " + method.getParameterCount());
				}
				continue;
			}
			if (names == null) {
				throw new IllegalStateException(where + ": " + attribute + " '" + text + "' names a parameter, but "
						+ "parameter names are not available; compile with -parameters or use #p0, #p1, ...");
			}
			if (!Arrays.asList(names).contains(name)) {
				throw new IllegalStateException(where + ": " + attribute + " '" + text + "' names no parameter (#"
						+ name + "); the parameters are "
						+ (names.length == 0 ? "none" : "#" + String.join(", #", names)));
			}
		}
		return expression;
	}

	private static void checkParametersAreCanonical(Method method, String[] names, String where) {
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			String reason = CanonicalKey.whyNotCanonical(types[i]);
			if (reason != null) {
				String name = (names != null && i < names.length) ? names[i] : "arg" + i;
				throw new IllegalStateException(where + ": parameter '" + name + "' cannot be part of the default key ("
						+ reason + "); give the annotation a key naming what identifies the request, e.g. key = \""
						+ exampleKey(names, i) + "\"");
			}
		}
	}

	static String exampleKey(String[] names, int excluded) {
		StringBuilder example = new StringBuilder("{");
		int count = 0;
		if (names != null) {
			for (int i = 0; i < names.length; i++) {
				if (i != excluded) {
					example.append((count++ > 0) ? ", #" : "#").append(names[i]);
				}
			}
		}
		return (count == 0) ? "#p" + Math.max(0, excluded) + ".id" : example.append('}').toString();
	}

}
