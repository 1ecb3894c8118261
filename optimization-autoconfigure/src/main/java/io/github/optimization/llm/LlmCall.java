package io.github.optimization.llm;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.optimization.cache.annotation.CacheCalls;
import io.github.optimization.cache.annotation.CachedLlmResponse;
import io.github.optimization.llm.CachedLlmResponseOperation.ResultKind;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One call of a {@link CachedLlmResponse} method: runs the provider (the method) at most
 * once and decides, when the call returns, whether its response is the one this call's
 * provider call produced (a miss: usage spent) or came from the cache, another caller's
 * load or a stale entry (a hit: usage saved). A provider call that answered no caller (a
 * background refresh started by this call, or one that finished after the call returned a
 * stale response) is recorded as spent on its own.
 */
final class LlmCall implements Callable<Object> {

	private static final Log logger = LogFactory.getLog(LlmCall.class);

	final CachedLlmResponseOperation operation;

	final MethodInvocation invocation;

	final Object target;

	final Object[] args;

	/** Guarded by this: whether the caller has been answered (and recorded). */
	private boolean returned;

	/** Guarded by this: whether the provider answered before the caller returned. */
	private boolean answered;

	/** Guarded by this: what the provider answered, when {@link #answered}. */
	private Object produced;

	LlmCall(CachedLlmResponseOperation operation, MethodInvocation invocation, Object target, Object[] args) {
		this.operation = operation;
		this.invocation = invocation;
		this.target = target;
		this.args = args;
	}

	/**
	 * The same call again, over another invocation (a {@code Mono} subscription).
	 * @param invocation the invocation to proceed
	 * @return a call with no answer yet
	 */
	LlmCall withInvocation(MethodInvocation invocation) {
		return new LlmCall(this.operation, invocation, this.target, this.args);
	}

	/**
	 * The loader of a synchronous miss: the method's response, unwrapped from Optional.
	 */
	@Override
	public Object call() throws Exception {
		return answered(unwrapOptional(CacheCalls.proceed(this.invocation)));
	}

	/**
	 * The method's response, as {@link #call()}, with what it threw unchanged.
	 * @return the response
	 * @throws Throwable what the method threw
	 */
	Object callDirectly() throws Throwable {
		return answered(unwrapOptional(this.invocation.proceed()));
	}

	/**
	 * The method's future response.
	 * @return the future, failed with what the method threw
	 */
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
	 * Notes a response of the provider: this call's own if the caller is still waiting,
	 * else a background call, recorded as spent at once.
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
			LlmCallRecorder recorder = this.operation.recorder.get();
			if (recorder != null) {
				if (background) {
					// The provider answered, but the caller got another (stale) response.
					recorder.recordBackgroundCall(other, model());
				}
				recorder.record(response, model(), miss);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record an LLM call of " + this.operation.method().where(), ex);
		}
	}

	private void recordBackground(Object response) {
		try {
			LlmCallRecorder recorder = this.operation.recorder.get();
			if (recorder != null) {
				recorder.recordBackgroundCall(response, model());
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record a background LLM call of " + this.operation.method().where(), ex);
		}
	}

	private String model() {
		return this.operation.model(this.target, this.args);
	}

}
