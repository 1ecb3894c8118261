package io.github.optimization.llm;

/**
 * Per-call control of the LLM response cache, as LLM gateways offer it: bypass the cache
 * for one call, refresh the cached response, or do not store the response.
 *
 * <p>
 * The mode is bound to the current thread for the life of a {@link Scope} (or of the
 * helper's callback), and read when an {@code @CachedLlmResponse} method (or a ChatClient
 * call through the caching advisor) is <em>called</em>: a method returning a
 * {@code CompletableFuture} or a {@code Mono} keeps the mode it was called with, even if
 * the work runs, or the {@code Mono} is subscribed to, later and on another thread. Every
 * cached call made on this thread inside the scope takes the mode, including cached calls
 * nested inside the called method when they run on the same thread.
 *
 * <pre class="code">
 * try (LlmCacheControl.Scope scope = LlmCacheControl.refresh()) {
 *     answer = assistant.ask(question);          // calls the provider, stores the new answer
 * }
 * Answer fresh = LlmCacheControl.bypass(() -&gt; assistant.ask(question));   // no read, no store
 * </pre>
 *
 * <p>
 * Scopes nest: closing one restores the mode that was current when it was opened. A scope
 * must be closed on the thread that opened it (use try-with-resources). Thread-safe.
 */
public final class LlmCacheControl {

	private static final ThreadLocal<LlmCacheMode> CURRENT = new ThreadLocal<>();

	private LlmCacheControl() {
	}

	/**
	 * The mode of cached calls made now on this thread.
	 * @return the mode, {@link LlmCacheMode#DEFAULT} outside any scope
	 */
	public static LlmCacheMode current() {
		LlmCacheMode mode = CURRENT.get();
		return (mode != null) ? mode : LlmCacheMode.DEFAULT;
	}

	/**
	 * Bind a mode to this thread until the returned scope is closed.
	 * @param mode the mode, never {@code null}
	 * @return the scope to close
	 */
	public static Scope scope(LlmCacheMode mode) {
		if (mode == null) {
			throw new IllegalArgumentException("mode must not be null");
		}
		Scope scope = new Scope(CURRENT.get(), Thread.currentThread());
		CURRENT.set(mode);
		return scope;
	}

	/**
	 * Neither read nor store until the scope is closed.
	 * @return the scope to close
	 */
	public static Scope bypass() {
		return scope(LlmCacheMode.BYPASS);
	}

	/**
	 * Do not read, call the provider and store its response, until the scope is closed.
	 * @return the scope to close
	 */
	public static Scope refresh() {
		return scope(LlmCacheMode.REFRESH);
	}

	/**
	 * Read, but do not store a response the provider gives on a miss, until the scope is
	 * closed.
	 * @return the scope to close
	 */
	public static Scope noStore() {
		return scope(LlmCacheMode.NO_STORE);
	}

	/**
	 * Run a call in {@link LlmCacheMode#BYPASS} mode.
	 * @param <T> the result type
	 * @param <E> what the call may throw
	 * @param call the call
	 * @return the call's result
	 * @throws E what the call threw, unchanged
	 */
	public static <T, E extends Throwable> T bypass(Call<T, E> call) throws E {
		return call(LlmCacheMode.BYPASS, call);
	}

	/**
	 * Run a call in {@link LlmCacheMode#REFRESH} mode.
	 * @param <T> the result type
	 * @param <E> what the call may throw
	 * @param call the call
	 * @return the call's result
	 * @throws E what the call threw, unchanged
	 */
	public static <T, E extends Throwable> T refresh(Call<T, E> call) throws E {
		return call(LlmCacheMode.REFRESH, call);
	}

	/**
	 * Run a call in {@link LlmCacheMode#NO_STORE} mode.
	 * @param <T> the result type
	 * @param <E> what the call may throw
	 * @param call the call
	 * @return the call's result
	 * @throws E what the call threw, unchanged
	 */
	public static <T, E extends Throwable> T noStore(Call<T, E> call) throws E {
		return call(LlmCacheMode.NO_STORE, call);
	}

	/**
	 * Run a call in the given mode.
	 * @param <T> the result type
	 * @param <E> what the call may throw
	 * @param mode the mode
	 * @param call the call
	 * @return the call's result
	 * @throws E what the call threw, unchanged
	 */
	public static <T, E extends Throwable> T call(LlmCacheMode mode, Call<T, E> call) throws E {
		try (Scope scope = scope(mode)) {
			return call.call();
		}
	}

	/**
	 * A call run in a mode; may throw checked exceptions, which reach the caller
	 * unchanged.
	 *
	 * @param <T> the result type
	 * @param <E> what the call may throw
	 */
	@FunctionalInterface
	public interface Call<T, E extends Throwable> {

		/**
		 * Make the call.
		 * @return the result
		 * @throws E what the call threw
		 */
		T call() throws E;

	}

	/**
	 * A mode bound to a thread; {@link #close() closing} it restores the previous mode.
	 * Not thread-safe: close it on the thread that opened it.
	 */
	public static final class Scope implements AutoCloseable {

		private final LlmCacheMode previous;

		private final Thread owner;

		private boolean closed;

		private Scope(LlmCacheMode previous, Thread owner) {
			this.previous = previous;
			this.owner = owner;
		}

		/**
		 * Restore the mode that was current when this scope was opened. Closing twice
		 * does nothing.
		 * @throws IllegalStateException if called on another thread than the one that
		 * opened the scope
		 */
		@Override
		public void close() {
			if (this.closed) {
				return;
			}
			if (Thread.currentThread() != this.owner) {
				throw new IllegalStateException("An LlmCacheControl scope must be closed on the thread that opened it ("
						+ this.owner.getName() + ")");
			}
			this.closed = true;
			if (this.previous != null) {
				CURRENT.set(this.previous);
			}
			else {
				CURRENT.remove();
			}
		}

	}

}
