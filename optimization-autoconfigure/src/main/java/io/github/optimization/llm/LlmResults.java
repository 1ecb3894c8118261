package io.github.optimization.llm;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.optimization.cache.LoadOptions;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.annotation.CacheCalls;
import io.github.optimization.cache.annotation.CachedLlmResponse;
import io.github.optimization.llm.CachedLlmResponseOperation.ResultKind;

import org.springframework.cache.Cache;

/**
 * {@link CachedLlmResponse} methods returning a value, an {@code Optional} or a
 * {@code CompletableFuture}. On a {@link TieredCache}, values go through
 * {@link TieredCache#getOrLoad} and futures through
 * {@link TieredCache#retrieve(Object, Supplier, LoadOptions)}; a refresh calls the
 * provider and stores its response; without a cache the provider is called.
 */
final class LlmResults {

	private LlmResults() {
	}

	/**
	 * The options of a lookup in a mode: store non-null responses, or nothing.
	 */
	static LoadOptions options(CachedLlmResponseOperation operation, LlmCacheMode mode) {
		return (mode != LlmCacheMode.NO_STORE) ? operation.storeOptions : operation.noStoreOptions;
	}

	static Object value(LlmCall call, LlmCacheMode mode, Object key, Cache cache) throws Throwable {
		CachedLlmResponseOperation operation = call.operation;
		Object value;
		if (cache == null) {
			value = call.callDirectly();
		}
		else if (mode == LlmCacheMode.REFRESH) {
			value = call.callDirectly();
			CacheCalls.store(cache, key, value, operation.storeOptions);
		}
		else {
			value = CacheCalls.getOrLoad(cache, key, call, options(operation, mode));
		}
		call.record(value);
		return (operation.resultKind == ResultKind.OPTIONAL) ? Optional.ofNullable(value) : value;
	}

	static CompletableFuture<Object> future(LlmCall call, LlmCacheMode mode, Object key, Cache cache) {
		CachedLlmResponseOperation operation = call.operation;
		CompletableFuture<Object> result;
		if (cache == null) {
			result = call.callFuture();
		}
		else if (mode == LlmCacheMode.REFRESH) {
			// Stored on the thread that completes the provider's future, as Spring's own
			// @Cacheable does for CompletableFuture results.
			result = call.callFuture().thenApply((value) -> {
				CacheCalls.store(cache, key, value, operation.storeOptions);
				return value;
			});
		}
		else if (cache instanceof TieredCache tiered) {
			result = tiered.retrieve(key, call::callFuture, options(operation, mode));
		}
		else {
			Cache.ValueWrapper hit = cache.get(key);
			result = (hit != null) ? CompletableFuture.completedFuture(hit.get())
					: call.callFuture().thenApply((value) -> {
						CacheCalls.store(cache, key, value, options(operation, mode));
						return value;
					});
		}
		return result.whenComplete((value, ex) -> {
			if (ex == null) {
				call.record(value);
			}
		});
	}

}
