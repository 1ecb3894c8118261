package io.github.optimization.llm;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JavaType;
import io.github.optimization.cache.LoadOptions;
import io.github.optimization.cache.annotation.AnnotatedMethod;
import io.github.optimization.cache.annotation.CacheOperation;
import io.github.optimization.cache.annotation.CachedLlmResponse;
import io.github.optimization.cache.annotation.TieredCacheable;
import io.github.optimization.cache.key.CanonicalKey;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.core.ResolvableType;
import org.springframework.expression.Expression;

/**
 * {@link CachedLlmResponse} on one method: its key (a SHA-256 over the canonical encoding
 * of the method identity and every argument, or of the {@code key} value), the model
 * expression, how the method returns its response, and the recorder of its calls.
 *
 * <p>
 * The {@link LlmCacheControl} mode is read when the method is called. On a tiered cache,
 * concurrent callers of one key run the provider once per JVM (the others count as hits);
 * on any other Spring cache the annotation still caches, without the TTL or single
 * flight. {@code null} responses, empty {@code Optional}s and empty {@code Mono}s are
 * never stored. Exceptions of the method reach the caller unchanged, are never cached and
 * are not counted.
 */
final class CachedLlmResponseOperation extends CacheOperation {

	private static final Log logger = LogFactory.getLog(CachedLlmResponseOperation.class);

	private static final Pattern VARIABLE = Pattern.compile("#([A-Za-z_$][\\w$]*)");

	private static final Set<String> BUILT_IN_VARIABLES = Set.of("root", "this");

	/** How the method returns its response. */
	enum ResultKind {

		VALUE, OPTIONAL, FUTURE, MONO

	}

	final ResultKind resultKind;

	/** Store loaded responses that are not null. */
	final LoadOptions storeOptions;

	/** Store nothing. */
	final LoadOptions noStoreOptions;

	final Supplier<LlmCallRecorder> recorder;

	private final Expression key;

	private final Expression model;

	private volatile boolean warnedModelExpression;

	private CachedLlmResponseOperation(AnnotatedMethod method, String cacheName, Duration ttl, Expression key,
			Expression model, JavaType valueType, ResultKind resultKind, Supplier<LlmCallRecorder> recorder) {
		super(method, cacheName, ttl);
		this.key = key;
		this.model = model;
		this.resultKind = resultKind;
		this.recorder = recorder;
		this.storeOptions = new LoadOptions(ttl, valueType, Objects::nonNull);
		this.noStoreOptions = new LoadOptions(ttl, valueType, LoadOptions.STORE_NOTHING);
	}

	/**
	 * Parse the annotation: a blank cache name, a bad TTL, SpEL that does not parse or
	 * names no parameter, a {@code void} result, a result type other than a value,
	 * {@code Optional}, {@code CompletableFuture} or {@code Mono}, or (without
	 * {@code key}) a parameter whose declared type can never be part of a canonical key
	 * fail.
	 */
	static CachedLlmResponseOperation parse(CachedLlmResponse annotation, AnnotatedMethod method,
			Supplier<LlmCallRecorder> recorder) {
		if (method.alsoHas(TieredCacheable.class)) {
			throw method.invalid("the method also has @TieredCacheable; use one of the two");
		}
		String cacheName = method.cacheName(annotation.cache());
		ResolvableType returnType = method.returnType();
		ResultKind kind = resultKind(returnType.resolve(Object.class), method);
		ResolvableType valueType = (kind == ResultKind.VALUE) ? returnType : returnType.getGeneric(0);
		Class<?> valueClass = valueType.resolve(Object.class);
		if (valueClass == void.class || valueClass == Void.class) {
			throw method.invalid("the method returns " + returnType
					+ ", so there is no response to cache; return the response (or a future or Mono of it)");
		}
		if (valueClass.getName().equals("org.springframework.ai.chat.model.ChatResponse")) {
			throw method.invalid("Spring AI's ChatResponse does not survive a JSON round trip, so it cannot be "
					+ "cached as it is; return your own type (e.g. a record of the text and usage implementing "
					+ "LlmUsage), or call the model through a ChatClient, whose responses the caching advisor caches");
		}
		Duration ttl = method.ttl(annotation.ttl());
		Expression key = expression(annotation.key(), "key", method);
		Expression model = expression(annotation.model(), "model", method);
		if (key == null) {
			checkParametersAreCanonical(method);
		}
		return new CachedLlmResponseOperation(method, cacheName, ttl, key, model, AnnotatedMethod.javaType(valueType),
				kind, recorder);
	}

	private static ResultKind resultKind(Class<?> type, AnnotatedMethod method) {
		if (type == Optional.class) {
			return ResultKind.OPTIONAL;
		}
		if (type == CompletableFuture.class || type == CompletionStage.class) {
			return ResultKind.FUTURE;
		}
		if (type.getName().equals("reactor.core.publisher.Mono")) {
			return ResultKind.MONO;
		}
		if (AnnotatedMethod.isAsynchronous(type)) {
			throw method.invalid(type.getName() + " results are not supported; return the response itself, "
					+ "Optional, CompletableFuture or Mono (a stream of partial responses is not cached: collect it "
					+ "into one response)");
		}
		return ResultKind.VALUE;
	}

	/** Parses an attribute's SpEL and checks that every variable names a parameter. */
	private static Expression expression(String text, String attribute, AnnotatedMethod method) {
		Expression expression = method.expression(text, attribute);
		if (expression != null) {
			Matcher variable = VARIABLE.matcher(text);
			while (variable.find()) {
				if (!BUILT_IN_VARIABLES.contains(variable.group(1))) {
					method.parameterIndex(variable.group(1), attribute, text);
				}
			}
		}
		return expression;
	}

	private static void checkParametersAreCanonical(AnnotatedMethod method) {
		Class<?>[] types = method.method().getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			String reason = CanonicalKey.whyNotCanonical(types[i]);
			if (reason != null) {
				throw method.invalid("parameter '" + method.parameterLabel(i) + "' cannot be part of the default key ("
						+ reason + "); give the annotation a key naming what identifies the request, e.g. key = \""
						+ exampleKey(method, i) + "\"");
			}
		}
	}

	/** A key of every parameter but one, as advice in messages. */
	private static String exampleKey(AnnotatedMethod method, int excluded) {
		String[] names = method.parameterNames();
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

	@Override
	protected Object invoke(MethodInvocation invocation, Supplier<CacheManager> cacheManager) throws Throwable {
		LlmCacheMode mode = LlmCacheControl.current();
		// A background refresh (stale-while-revalidate) may proceed this invocation after
		// this call has returned: it never proceeded here then, so the rest of the chain
		// runs.
		LlmCall call = new LlmCall(this, invocation, invocation.getThis(), invocation.getArguments());
		Object key = null;
		Cache cache = null;
		if (mode != LlmCacheMode.BYPASS) {
			key = key(call.target, call.args);
			cache = cache(cacheManager);
		}
		return switch (this.resultKind) {
			case VALUE, OPTIONAL -> LlmResults.value(call, mode, key, cache);
			case FUTURE -> LlmResults.future(call, mode, key, cache);
			case MONO -> MonoResults.invoke(call, mode, key, cache);
		};
	}

	private Object key(Object target, Object[] args) {
		CanonicalKey key = new CanonicalKey(method().identity());
		if (this.key != null) {
			return add(key, "key", method().evaluate(this.key, target, args), -1).sha256();
		}
		for (int i = 0; i < args.length; i++) {
			add(key, method().parameterLabel(i), args[i], i);
		}
		return key.sha256();
	}

	private CanonicalKey add(CanonicalKey key, String name, Object value, int parameter) {
		try {
			return key.add(name, value);
		}
		catch (CanonicalKey.NotCanonicalException ex) {
			String what = (parameter >= 0) ? "parameter '" + name + "'" : "the value of key";
			String advice = (parameter >= 0)
					? "give the annotation a key naming what identifies the request, e.g. key = \""
							+ exampleKey(method(), parameter) + "\""
					: "make the key expression yield strings, numbers, records, lists or maps";
			throw new IllegalArgumentException(method().where() + ": " + what + " cannot be part of the cache key ("
					+ ex.getMessage() + "); " + advice, ex);
		}
	}

	/**
	 * The model the caller names for the meters, or {@code null} to take it from the
	 * response's usage (also when the expression fails, which is logged once).
	 */
	String model(Object target, Object[] args) {
		if (this.model == null) {
			return null;
		}
		try {
			Object model = method().evaluate(this.model, target, args);
			return (model != null) ? model.toString() : null;
		}
		catch (RuntimeException ex) {
			if (!this.warnedModelExpression) {
				this.warnedModelExpression = true;
				logger.warn("The model expression of " + method().where() + " failed; the model is taken from "
						+ "the response's usage instead (logged once): " + ex);
			}
			return null;
		}
	}

}
