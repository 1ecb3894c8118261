package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JavaType;
import io.github.optimization.cache.LoadOptions;

import org.springframework.cache.Cache;
import org.springframework.expression.Expression;

/**
 * Everything about one annotated method that does not change between calls, worked out
 * once: the cache name, the key strategy, parsed expressions, the TTL and the declared
 * value type. The cache itself is resolved on first use.
 */
final class TieredCacheOperation {

	final Method method;

	final Class<?> targetClass;

	final String cacheName;

	final String methodIdentity;

	final KeyStrategy keyStrategy;

	final Expression condition;

	final Expression unless;

	final Duration ttl;

	final JavaType valueType;

	final boolean optionalResult;

	final LoadOptions loadOptions;

	/**
	 * Variable names of each argument: its name (if known), pN and aN; worked out once.
	 */
	final String[][] argumentVariables;

	volatile Cache cache;

	volatile boolean warnedNoCacheManager;

	TieredCacheOperation(Method method, Class<?> targetClass, String cacheName, String methodIdentity,
			KeyStrategy keyStrategy, Expression condition, Expression unless, Duration ttl, JavaType valueType,
			String[] parameterNames) {
		this.method = method;
		this.targetClass = targetClass;
		this.cacheName = cacheName;
		this.methodIdentity = methodIdentity;
		this.keyStrategy = keyStrategy;
		this.condition = condition;
		this.unless = unless;
		this.ttl = ttl;
		this.valueType = valueType;
		this.optionalResult = Optional.class.equals(method.getReturnType());
		this.loadOptions = new LoadOptions(ttl, valueType, null);
		this.argumentVariables = new String[method.getParameterCount()][];
		for (int i = 0; i < this.argumentVariables.length; i++) {
			this.argumentVariables[i] = (parameterNames != null && i < parameterNames.length)
					? new String[] { parameterNames[i], "p" + i, "a" + i } : new String[] { "p" + i, "a" + i };
		}
	}

	/** How a call's key is computed. */
	interface KeyStrategy {

		Object key(TieredCacheOperation operation, Object target, Object[] args);

	}

}
