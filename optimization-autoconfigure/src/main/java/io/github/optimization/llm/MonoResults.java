package io.github.optimization.llm;

import io.github.optimization.cache.annotation.CachedLlmResponse;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.llm.CachedLlmResponseInterceptor.Call;
import org.aopalliance.intercept.MethodInvocation;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.cache.Cache;

/**
 * {@link CachedLlmResponse} methods returning Reactor's {@code Mono}. Loaded only when
 * such a method is called, so Reactor stays an optional dependency.
 *
 * <p>
 * The returned {@code Mono} is lazy: nothing (no cache lookup, no call of the method)
 * runs until it is subscribed to, and each subscription looks up (and on a miss calls the
 * method) afresh. The cache mode and key are those of the call that returned it.
 */
final class MonoResults {

	private MonoResults() {
	}

	static Mono<Object> invoke(Call call, LlmCacheMode mode, Object key, Cache cache) {
		// A clone per subscription: a MethodInvocation can be proceeded once.
		MethodInvocation template = (call.invocation instanceof ProxyMethodInvocation proxy) ? proxy.invocableClone()
				: call.invocation;
		return Mono.defer(() -> {
			MethodInvocation invocation = (template instanceof ProxyMethodInvocation proxy) ? proxy.invocableClone()
					: template;
			Call attempt = new Call(call.interceptor, invocation, call.operation, call.target, call.args);
			return subscribe(attempt, mode, key, cache).doOnSuccess(attempt::record);
		});
	}

	private static Mono<Object> subscribe(Call call, LlmCacheMode mode, Object key, Cache cache) {
		CachedLlmResponseOperation operation = call.operation;
		if (cache == null) {
			return proceed(call);
		}
		if (mode == LlmCacheMode.REFRESH) {
			// The write may block for the cache's Redis timeout: off the provider's
			// thread.
			return proceed(call).flatMap(
					(value) -> Mono.fromRunnable(() -> CachedLlmResponseInterceptor.store(cache, key, value, operation))
						.subscribeOn(Schedulers.boundedElastic())
						.thenReturn(value));
		}
		boolean store = mode != LlmCacheMode.NO_STORE;
		if (cache instanceof TieredCache tiered) {
			return Mono.fromFuture(() -> tiered.retrieve(key, () -> proceed(call).toFuture(),
					store ? operation.storeOptions : operation.noStoreOptions));
		}
		Cache.ValueWrapper hit = cache.get(key);
		if (hit != null) {
			return Mono.justOrEmpty(hit.get());
		}
		return proceed(call).doOnNext((value) -> {
			if (store) {
				CachedLlmResponseInterceptor.store(cache, key, value, operation);
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static Mono<Object> proceed(Call call) {
		Object result;
		try {
			result = call.invocation.proceed();
		}
		catch (Throwable ex) {
			return Mono.error(ex);
		}
		return ((result != null) ? (Mono<Object>) result : Mono.empty()).doOnSuccess(call::answered);
	}

}
