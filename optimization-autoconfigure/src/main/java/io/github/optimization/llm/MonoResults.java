package io.github.optimization.llm;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.annotation.CacheCalls;
import io.github.optimization.cache.annotation.CachedLlmResponse;
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

	static Mono<Object> invoke(LlmCall call, LlmCacheMode mode, Object key, Cache cache) {
		// A clone per subscription: a MethodInvocation can be proceeded once.
		MethodInvocation template = (call.invocation instanceof ProxyMethodInvocation proxy) ? proxy.invocableClone()
				: call.invocation;
		return Mono.defer(() -> {
			MethodInvocation invocation = (template instanceof ProxyMethodInvocation proxy) ? proxy.invocableClone()
					: template;
			LlmCall attempt = call.withInvocation(invocation);
			return subscribe(attempt, mode, key, cache).doOnSuccess(attempt::record);
		});
	}

	private static Mono<Object> subscribe(LlmCall call, LlmCacheMode mode, Object key, Cache cache) {
		CachedLlmResponseOperation operation = call.operation;
		if (cache == null) {
			return proceed(call);
		}
		if (mode == LlmCacheMode.REFRESH) {
			// The write may block for the cache's Redis timeout: off the provider's
			// thread.
			return proceed(call)
				.flatMap((value) -> Mono.fromRunnable(() -> CacheCalls.store(cache, key, value, operation.storeOptions))
					.subscribeOn(Schedulers.boundedElastic())
					.thenReturn(value));
		}
		if (cache instanceof TieredCache tiered) {
			return Mono.fromFuture(
					() -> tiered.retrieve(key, () -> proceed(call).toFuture(), LlmResults.options(operation, mode)));
		}
		Cache.ValueWrapper hit = cache.get(key);
		if (hit != null) {
			return Mono.justOrEmpty(hit.get());
		}
		return proceed(call)
			.doOnNext((value) -> CacheCalls.store(cache, key, value, LlmResults.options(operation, mode)));
	}

	@SuppressWarnings("unchecked")
	private static Mono<Object> proceed(LlmCall call) {
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
