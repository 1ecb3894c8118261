package io.github.optimization.cache.annotation;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JavaType;
import io.github.optimization.cache.LoadOptions;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.key.MethodKey;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.core.ResolvableType;
import org.springframework.expression.Expression;

/**
 * {@link TieredCacheable} on one method: its key rule (the method identity and every
 * argument, one parameter, or SpEL), {@code condition}, {@code unless}, TTL and declared
 * value type ({@code Optional} results are cached by their content).
 *
 * <p>
 * A call on a tiered cache costs one Caffeine lookup on an L1 hit, and no allocation
 * beyond what a SpEL key needs; a miss goes through {@link TieredCache#getOrLoad}, so one
 * call per key per JVM runs the method. On any other Spring cache the annotation still
 * caches, without the TTL or single flight.
 */
final class TieredCacheOperation extends CacheOperation {

	private static final Pattern PARAMETER_REFERENCE = Pattern.compile("#([A-Za-z_$][\\w$]*)");

	private final KeyStrategy keyStrategy;

	private final Expression condition;

	private final Expression unless;

	private final JavaType valueType;

	private final boolean optionalResult;

	private final LoadOptions loadOptions;

	private TieredCacheOperation(AnnotatedMethod method, String cacheName, Duration ttl, KeyStrategy keyStrategy,
			Expression condition, Expression unless) {
		super(method, cacheName, ttl);
		this.keyStrategy = keyStrategy;
		this.condition = condition;
		this.unless = unless;
		ResolvableType returnType = method.returnType();
		this.optionalResult = Optional.class.equals(returnType.resolve());
		this.valueType = AnnotatedMethod.javaType(this.optionalResult ? returnType.getGeneric(0) : returnType);
		this.loadOptions = new LoadOptions(ttl, this.valueType, null);
	}

	/**
	 * Parse the annotation: a blank cache name, a {@code void} or asynchronous result, a
	 * bad TTL, bad SpEL or a key naming no parameter fail.
	 */
	static TieredCacheOperation parse(TieredCacheable annotation, AnnotatedMethod method) {
		String cacheName = method.cacheName(annotation.cache());
		Class<?> returned = method.method().getReturnType();
		if (void.class.equals(returned)) {
			throw method.invalid("the method returns void, so there is nothing to cache");
		}
		if (AnnotatedMethod.isAsynchronous(returned)) {
			throw method.invalid("asynchronous results (" + returned.getSimpleName()
					+ ") are not supported by @TieredCacheable; return the value itself, or use @Cacheable, which "
					+ "caches CompletableFuture results through the same cache");
		}
		Duration ttl = method.ttl(annotation.ttl());
		KeyStrategy key = keyStrategy(annotation.key(), method);
		Expression condition = method.expression(annotation.condition(), "condition");
		Expression unless = method.expression(annotation.unless(), "unless");
		return new TieredCacheOperation(method, cacheName, ttl, key, condition, unless);
	}

	private static KeyStrategy keyStrategy(String key, AnnotatedMethod method) {
		if (key.isBlank()) {
			String identity = method.identity();
			if (method.method().getParameterCount() == 0) {
				MethodKey constant = new MethodKey(identity, new Object[0]);
				return (target, args) -> constant;
			}
			return (target, args) -> new MethodKey(identity, args.clone());
		}
		Matcher reference = PARAMETER_REFERENCE.matcher(key.trim());
		if (reference.matches()) {
			int index = method.parameterIndex(reference.group(1), "key", key);
			return (target, args) -> args[index];
		}
		Expression expression = method.expression(key, "key");
		return (target, args) -> method.evaluate(expression, target, args);
	}

	@Override
	protected Object invoke(MethodInvocation invocation, Supplier<CacheManager> cacheManager) throws Throwable {
		Object target = invocation.getThis();
		Object[] args = invocation.getArguments();
		if (this.condition != null && !method().isTrue(this.condition, target, args)) {
			return invocation.proceed();
		}
		Cache cache = cache(cacheManager);
		if (cache == null) {
			return invocation.proceed();
		}
		Object key = this.keyStrategy.key(target, args);
		if (key == null) {
			throw new IllegalArgumentException("Null key for " + method().name()
					+ "; the key expression evaluated to null (if it names parameters, compile with -parameters)");
		}
		Cache.ValueWrapper hit = (cache instanceof TieredCache tiered) ? tiered.getFromL1(key) : null;
		Object value = (hit != null) ? hit.get()
				: CacheCalls.getOrLoad(cache, key, loader(invocation), loadOptions(target, args));
		return this.optionalResult ? Optional.ofNullable(value) : value;
	}

	/** Runs the method once for a miss, unwrapping an {@code Optional} result. */
	private Callable<Object> loader(MethodInvocation invocation) {
		if (!this.optionalResult) {
			return () -> CacheCalls.proceed(invocation);
		}
		return () -> {
			Optional<?> result = (Optional<?>) CacheCalls.proceed(invocation);
			return (result != null) ? result.orElse(null) : null;
		};
	}

	private LoadOptions loadOptions(Object target, Object[] args) {
		if (this.unless == null) {
			return this.loadOptions;
		}
		return new LoadOptions(ttl(), this.valueType, (result) -> !method().isTrue(this.unless, target, args, result));
	}

	/** How a call's key is computed. */
	private interface KeyStrategy {

		Object key(Object target, Object[] args);

	}

}
