package io.github.optimization.llm;

import io.github.optimization.cache.annotation.CachedLlmResponse;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;

import com.fasterxml.jackson.databind.JavaType;
import io.github.optimization.cache.LoadOptions;

import org.springframework.cache.Cache;
import org.springframework.expression.Expression;

/**
 * Everything about one {@link CachedLlmResponse} method that does not change between
 * calls, worked out once at startup. The cache itself is resolved on first use.
 */
final class CachedLlmResponseOperation {

	/** How the method returns its response. */
	enum ResultKind {

		VALUE, OPTIONAL, FUTURE, MONO

	}

	final Method method;

	final Class<?> targetClass;

	final String cacheName;

	final String methodIdentity;

	/** "@CachedLlmResponse on Class.method", for messages. */
	final String where;

	/** Name of each parameter in the key and in messages (its name, or argN). */
	final String[] parameterLabels;

	final Expression key;

	final Expression model;

	final Duration ttl;

	final JavaType valueType;

	final ResultKind resultKind;

	/** Store loaded responses that are not null. */
	final LoadOptions storeOptions;

	/** Store nothing. */
	final LoadOptions noStoreOptions;

	final String[][] argumentVariables;

	volatile Cache cache;

	volatile boolean warnedNoCacheManager;

	volatile boolean warnedModelExpression;

	CachedLlmResponseOperation(Method method, Class<?> targetClass, String cacheName, String methodIdentity,
			String where, String[] parameterNames, Expression key, Expression model, Duration ttl, JavaType valueType,
			ResultKind resultKind) {
		this.method = method;
		this.targetClass = targetClass;
		this.cacheName = cacheName;
		this.methodIdentity = methodIdentity;
		this.where = where;
		this.key = key;
		this.model = model;
		this.ttl = ttl;
		this.valueType = valueType;
		this.resultKind = resultKind;
		this.storeOptions = new LoadOptions(ttl, valueType, Objects::nonNull);
		this.noStoreOptions = new LoadOptions(ttl, valueType, LoadOptions.STORE_NOTHING);
		int count = method.getParameterCount();
		this.parameterLabels = new String[count];
		this.argumentVariables = new String[count][];
		for (int i = 0; i < count; i++) {
			boolean named = parameterNames != null && i < parameterNames.length;
			this.parameterLabels[i] = named ? parameterNames[i] : "arg" + i;
			this.argumentVariables[i] = named ? new String[] { parameterNames[i], "p" + i, "a" + i }
					: new String[] { "p" + i, "a" + i };
		}
	}

}
