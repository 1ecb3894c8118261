package io.github.optimization.llm;

import io.github.optimization.cache.annotation.CachedLlmResponse;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.key.CanonicalKey;
import io.github.optimization.llm.CachedLlmResponseOperation.ResultKind;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Serves {@link CachedLlmResponse} methods from their cache and records, for every
 * completed call, whether the provider was called and the usage of the response (spent on
 * a miss, saved on a hit).
 *
 * <p>
 * The {@link LlmCacheControl} mode is read when the method is called. On a
 * {@link TieredCache}, synchronous results go through {@link TieredCache#getOrLoad} and
 * asynchronous ones through
 * {@link TieredCache#retrieve(Object, Supplier, io.github.optimization.cache.LoadOptions)},
 * so concurrent callers of one key run the provider once per JVM (the others count as
 * hits); on any other Spring cache the annotation still caches, without the TTL or
 * single-flight. {@code null} responses, empty {@code Optional}s and empty {@code Mono}s
 * are never stored.
 *
 * <p>
 * Exceptions of the method reach the caller unchanged, are never cached and are not
 * counted. Thread-safe.
 */
public final class CachedLlmResponseInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(CachedLlmResponseInterceptor.class);

	private final CachedLlmResponseOperationSource source;

	private final Supplier<CacheManager> cacheManager;

	private final Supplier<LlmCallRecorder> recorder;

	/**
	 * Create an interceptor.
	 * @param source the operation source shared with the advisor's pointcut
	 * @param cacheManager supplies the cache manager on first use; may supply
	 * {@code null} (methods then run uncached)
	 * @param recorder supplies the recorder of calls; may supply {@code null} (nothing is
	 * recorded)
	 */
	public CachedLlmResponseInterceptor(CachedLlmResponseOperationSource source, Supplier<CacheManager> cacheManager,
			Supplier<LlmCallRecorder> recorder) {
		this.source = source;
		this.cacheManager = cacheManager;
		this.recorder = recorder;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
		CachedLlmResponseOperation operation = this.source.getOperation(method, targetClass);
		if (operation == null) {
			return invocation.proceed();
		}
		LlmCacheMode mode = LlmCacheControl.current();
		// A background refresh (stale-while-revalidate) may proceed this invocation after
		// this
		// call has returned: it never proceeded here then, so the rest of the chain runs.
		Call call = new Call(this, invocation, operation, target, invocation.getArguments());
		Object key = null;
		Cache cache = null;
		if (mode != LlmCacheMode.BYPASS) {
			key = key(operation, target, call.args);
			cache = cache(operation);
		}
		return switch (operation.resultKind) {
			case VALUE, OPTIONAL -> invokeSync(call, mode, key, cache);
			case FUTURE -> invokeFuture(call, mode, key, cache);
			case MONO -> MonoResults.invoke(call, mode, key, cache);
		};
	}

	private static Object invokeSync(Call call, LlmCacheMode mode, Object key, Cache cache) throws Throwable {
		CachedLlmResponseOperation operation = call.operation;
		Object value;
		if (cache == null) {
			value = call.callDirectly();
		}
		else if (mode == LlmCacheMode.REFRESH) {
			value = call.callDirectly();
			store(cache, key, value, operation);
		}
		else {
			boolean store = mode != LlmCacheMode.NO_STORE;
			try {
				if (cache instanceof TieredCache tiered) {
					value = tiered.getOrLoad(key, call, store ? operation.storeOptions : operation.noStoreOptions);
				}
				else {
					Cache.ValueWrapper hit = cache.get(key);
					value = (hit != null) ? hit.get() : call.callDirectly();
					if (hit == null && store) {
						store(cache, key, value, operation);
					}
				}
			}
			catch (Cache.ValueRetrievalException ex) {
				throw unwrap(ex.getCause());
			}
		}
		call.record(value);
		return (operation.resultKind == ResultKind.OPTIONAL) ? Optional.ofNullable(value) : value;
	}

	private static CompletableFuture<Object> invokeFuture(Call call, LlmCacheMode mode, Object key, Cache cache) {
		CachedLlmResponseOperation operation = call.operation;
		CompletableFuture<Object> result;
		if (cache == null) {
			result = call.callFuture();
		}
		else if (mode == LlmCacheMode.REFRESH) {
			// Stored on the thread that completes the provider's future, as Spring's own
			// @Cacheable does for CompletableFuture results.
			result = call.callFuture().thenApply((value) -> {
				store(cache, key, value, operation);
				return value;
			});
		}
		else {
			boolean store = mode != LlmCacheMode.NO_STORE;
			if (cache instanceof TieredCache tiered) {
				result = tiered.retrieve(key, call::callFuture,
						store ? operation.storeOptions : operation.noStoreOptions);
			}
			else {
				Cache.ValueWrapper hit = cache.get(key);
				result = (hit != null) ? CompletableFuture.completedFuture(hit.get())
						: call.callFuture().thenApply((value) -> {
							if (store) {
								store(cache, key, value, operation);
							}
							return value;
						});
			}
		}
		return result.whenComplete((value, ex) -> {
			if (ex == null) {
				call.record(value);
			}
		});
	}

	/**
	 * Stores a response that is not {@code null}, with the operation's TTL and declared
	 * type.
	 */
	static void store(Cache cache, Object key, Object value, CachedLlmResponseOperation operation) {
		if (value == null) {
			return;
		}
		if (cache instanceof TieredCache tiered) {
			tiered.put(key, value, operation.storeOptions);
		}
		else {
			cache.put(key, value);
		}
	}

	private Object key(CachedLlmResponseOperation operation, Object target, Object[] args) {
		CanonicalKey key = new CanonicalKey(operation.methodIdentity);
		if (operation.key != null) {
			Object value = this.source.expressions()
				.value(operation.key, operation.method, operation.targetClass, operation.argumentVariables, target,
						args);
			return add(key, "key", value, operation, -1).sha256();
		}
		for (int i = 0; i < args.length; i++) {
			add(key, operation.parameterLabels[i], args[i], operation, i);
		}
		return key.sha256();
	}

	private static CanonicalKey add(CanonicalKey key, String name, Object value, CachedLlmResponseOperation operation,
			int parameter) {
		try {
			return key.add(name, value);
		}
		catch (CanonicalKey.NotCanonicalException ex) {
			String what = (parameter >= 0) ? "parameter '" + name + "'" : "the value of key";
			String advice = (parameter >= 0)
					? "give the annotation a key naming what identifies the request, e.g. key = \""
							+ CachedLlmResponseOperationSource.exampleKey(operation.parameterLabels, parameter) + "\""
					: "make the key expression yield strings, numbers, records, lists or maps";
			throw new IllegalArgumentException(operation.where + ": " + what + " cannot be part of the cache key ("
					+ ex.getMessage() + "); " + advice, ex);
		}
	}

	private Cache cache(CachedLlmResponseOperation operation) {
		Cache cache = operation.cache;
		if (cache == null) {
			CacheManager manager = this.cacheManager.get();
			if (manager == null) {
				if (!operation.warnedNoCacheManager) {
					operation.warnedNoCacheManager = true;
					logger.warn(operation.where + " runs uncached: there is no CacheManager bean (or several without "
							+ "a @Primary one)");
				}
				return null;
			}
			cache = manager.getCache(operation.cacheName);
			if (cache == null) {
				throw new IllegalStateException("No cache named '" + operation.cacheName + "' for " + operation.where
						+ "; configure optimization.cache.caches." + operation.cacheName
						+ " or enable optimization.cache.dynamic");
			}
			if (!(cache instanceof TieredCache) && operation.ttl != null) {
				logger.warn("Cache '" + operation.cacheName + "' is a " + cache.getClass().getName()
						+ ", not a tiered cache: the ttl of " + operation.where + " is ignored");
			}
			operation.cache = cache;
		}
		return cache;
	}

	static Throwable unwrap(Throwable cause) {
		if (cause instanceof UndeclaredThrowableException undeclared && undeclared.getUndeclaredThrowable() != null) {
			return undeclared.getUndeclaredThrowable();
		}
		return cause;
	}

	/**
	 * One call of an annotated method: runs the provider (the method) at most once and
	 * decides, when the call returns, whether its response is the one this call's
	 * provider call produced (a miss: usage spent) or came from the cache, another
	 * caller's load or a stale entry (a hit: usage saved). A provider call that answered
	 * no caller (a background refresh started by this call, or one that finished after
	 * the call returned a stale response) is recorded as spent on its own.
	 */
	static final class Call implements Callable<Object> {

		final CachedLlmResponseInterceptor interceptor;

		final MethodInvocation invocation;

		final CachedLlmResponseOperation operation;

		final Object target;

		final Object[] args;

		/** Guarded by this: whether the caller has been answered (and recorded). */
		private boolean returned;

		/** Guarded by this: whether the provider answered before the caller returned. */
		private boolean answered;

		/** Guarded by this: what the provider answered, when {@link #answered}. */
		private Object produced;

		Call(CachedLlmResponseInterceptor interceptor, MethodInvocation invocation,
				CachedLlmResponseOperation operation, Object target, Object[] args) {
			this.interceptor = interceptor;
			this.invocation = invocation;
			this.operation = operation;
			this.target = target;
			this.args = args;
		}

		/**
		 * The loader of a synchronous miss: the method's response, unwrapped from
		 * Optional.
		 */
		@Override
		public Object call() throws Exception {
			Object result;
			try {
				result = this.invocation.proceed();
			}
			catch (Exception | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new UndeclaredThrowableException(ex);
			}
			return answered(unwrapOptional(result));
		}

		Object callDirectly() throws Throwable {
			return answered(unwrapOptional(this.invocation.proceed()));
		}

		@SuppressWarnings("unchecked")
		CompletableFuture<Object> callFuture() {
			try {
				Object result = this.invocation.proceed();
				if (result == null) {
					return CompletableFuture.completedFuture(answered(null));
				}
				return ((CompletionStage<Object>) result).toCompletableFuture().thenApply(this::answered);
			}
			catch (Throwable ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}

		/**
		 * Notes a response of the provider: this call's own if the caller is still
		 * waiting, else a background call, recorded as spent at once.
		 * @return the response
		 */
		Object answered(Object response) {
			synchronized (this) {
				if (!this.returned) {
					this.answered = true;
					this.produced = response;
					return response;
				}
			}
			recordBackground(response);
			return response;
		}

		private Object unwrapOptional(Object result) {
			if (this.operation.resultKind == ResultKind.OPTIONAL) {
				return (result != null) ? ((Optional<?>) result).orElse(null) : null;
			}
			return result;
		}

		/** Records the completed call; never throws. */
		void record(Object response) {
			boolean miss;
			boolean background;
			Object other;
			synchronized (this) {
				this.returned = true;
				miss = this.answered && this.produced == response;
				background = this.answered && !miss;
				other = this.produced;
			}
			try {
				LlmCallRecorder recorder = this.interceptor.recorder.get();
				if (recorder != null) {
					if (background) {
						// The provider answered, but the caller got another (stale)
						// response.
						recorder.recordBackgroundCall(other, model());
					}
					recorder.record(response, model(), miss);
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record an LLM call of " + this.operation.where, ex);
			}
		}

		private void recordBackground(Object response) {
			try {
				LlmCallRecorder recorder = this.interceptor.recorder.get();
				if (recorder != null) {
					recorder.recordBackgroundCall(response, model());
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record a background LLM call of " + this.operation.where, ex);
			}
		}

		private String model() {
			if (this.operation.model == null) {
				return null;
			}
			try {
				Object model = this.interceptor.source.expressions()
					.value(this.operation.model, this.operation.method, this.operation.targetClass,
							this.operation.argumentVariables, this.target, this.args);
				return (model != null) ? model.toString() : null;
			}
			catch (RuntimeException ex) {
				if (!this.operation.warnedModelExpression) {
					this.operation.warnedModelExpression = true;
					logger.warn("The model expression of " + this.operation.where + " failed; the model is taken from "
							+ "the response's usage instead (logged once): " + ex);
				}
				return null;
			}
		}

	}

}
