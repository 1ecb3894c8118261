package io.github.optimization.cache;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executors of a {@link TieredCacheManager}'s caches, and the owner of those the
 * manager creates itself. The asynchronous executor ({@code retrieve}: decoding, loader
 * futures, writes) is the one given, else two daemon threads. The refresh executor
 * (background refreshes, which call loaders and may block) is the one given, else the
 * given asynchronous executor, else a bounded pool of daemon threads. Where the builder
 * was given neither, the application's shared pools (the auto-configuration's
 * Spring-built ones) replace those two defaults. Only the pools created here are shut
 * down by {@link #close()}; executors given by the application are its own to close.
 * Thread-safe.
 */
final class CacheExecutors {

	private final Executor async;

	private final Executor refresh;

	private final ExecutorService ownedAsync;

	private final ExecutorService ownedRefresh;

	/**
	 * Whether the refresh executor is the application's shared pool, which it shuts down
	 * right after the manager.
	 */
	private final boolean sharedRefresh;

	/**
	 * @param given the executors given to the builder, either may be {@code null}
	 * @param shared the application's pools, used where none is given, or {@code null}
	 * @param refreshThreads threads of the own refresh pool
	 * @param refreshQueueCapacity refreshes that may wait for a thread of that pool
	 */
	CacheExecutors(Pair given, Pair shared, int refreshThreads, int refreshQueueCapacity) {
		Executor async = (given.async() != null) ? given.async() : (shared != null) ? shared.async() : null;
		this.ownedAsync = (async != null) ? null : pool(2, new LinkedBlockingQueue<>(), "optimization-cache-async");
		this.async = (async != null) ? async : this.ownedAsync;
		// An explicit asynchronous executor runs refreshes too unless one is given for
		// them.
		Executor refresh = (given.refresh() != null) ? given.refresh() : given.async();
		this.sharedRefresh = (refresh == null && shared != null);
		if (this.sharedRefresh) {
			refresh = shared.refresh();
		}
		this.ownedRefresh = (refresh != null) ? null
				: pool(refreshThreads, new ArrayBlockingQueue<>(refreshQueueCapacity), "optimization-cache-refresh");
		this.refresh = (refresh != null) ? refresh : this.ownedRefresh;
	}

	private static ThreadPoolExecutor pool(int threads, BlockingQueue<Runnable> queue, String threadName) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, queue, (runnable) -> {
			Thread thread = new Thread(runnable, threadName);
			thread.setDaemon(true);
			return thread;
		});
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	Executor async() {
		return this.async;
	}

	Executor refresh() {
		return this.refresh;
	}

	/**
	 * Shut down the pools created here.
	 * @return whether refreshes still queued will never run: the refresh pool was one of
	 * its own, or the application's shared pool that it shuts down next
	 */
	boolean close() {
		if (this.ownedAsync != null) {
			this.ownedAsync.shutdownNow();
		}
		if (this.ownedRefresh != null) {
			this.ownedRefresh.shutdownNow();
			return true;
		}
		return this.sharedRefresh;
	}

	/**
	 * An asynchronous and a refresh executor.
	 *
	 * @param async the asynchronous executor, may be {@code null} in a builder
	 * @param refresh the refresh executor, may be {@code null} in a builder
	 */
	record Pair(Executor async, Executor refresh) {
	}

}
