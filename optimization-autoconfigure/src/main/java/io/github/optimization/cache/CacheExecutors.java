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
 * given asynchronous executor, else a bounded pool of daemon threads. Only the pools
 * created here are shut down by {@link #close()}; executors given by the application (for
 * example built by Spring) are its own to close. Thread-safe.
 */
final class CacheExecutors {

	private final Executor async;

	private final Executor refresh;

	private final ExecutorService ownedAsync;

	private final ExecutorService ownedRefresh;

	/**
	 * @param async the asynchronous executor, or {@code null} for an own pool
	 * @param refresh the refresh executor, or {@code null} for the asynchronous one if
	 * given, else an own pool
	 * @param refreshThreads threads of the own refresh pool
	 * @param refreshQueueCapacity refreshes that may wait for a thread of that pool
	 */
	CacheExecutors(Executor async, Executor refresh, int refreshThreads, int refreshQueueCapacity) {
		this.ownedAsync = (async != null) ? null : pool(2, new LinkedBlockingQueue<>(), "optimization-cache-async");
		this.async = (async != null) ? async : this.ownedAsync;
		if (refresh != null || async != null) {
			// An explicit asynchronous executor runs refreshes too unless one is given
			// for them.
			this.refresh = (refresh != null) ? refresh : async;
			this.ownedRefresh = null;
		}
		else {
			this.ownedRefresh = pool(refreshThreads, new ArrayBlockingQueue<>(refreshQueueCapacity),
					"optimization-cache-refresh");
			this.refresh = this.ownedRefresh;
		}
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
	 * @return whether a refresh pool of its own was shut down (refreshes still queued
	 * there will never run)
	 */
	boolean close() {
		if (this.ownedAsync != null) {
			this.ownedAsync.shutdownNow();
		}
		if (this.ownedRefresh != null) {
			this.ownedRefresh.shutdownNow();
			return true;
		}
		return false;
	}

}
