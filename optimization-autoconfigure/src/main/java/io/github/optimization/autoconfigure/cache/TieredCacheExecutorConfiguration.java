package io.github.optimization.autoconfigure.cache;

import java.time.Duration;

import io.github.optimization.cache.InvalidCacheSpecException;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The thread pools of the auto-configured cache manager: one for asynchronous work
 * ({@code retrieve}) and one for background refreshes. They are beans so that Spring
 * starts and shuts them down and Spring Boot's executor meters see them. They are not
 * default candidates: an injection point for a plain {@code Executor}, and Spring Boot's
 * {@code applicationTaskExecutor} (which backs off when the application has an
 * {@code Executor} of its own), ignore them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(CacheManager.class)
class TieredCacheExecutorConfiguration {

	/** Name of the executor for asynchronous work. */
	static final String ASYNC_EXECUTOR = "tieredCacheAsyncTaskExecutor";

	/** Name of the executor of background refreshes. */
	static final String REFRESH_EXECUTOR = "tieredCacheRefreshTaskExecutor";

	/** Threads for asynchronous work, as many as the manager's own pool has. */
	private static final int ASYNC_THREADS = 2;

	@Bean(name = ASYNC_EXECUTOR, defaultCandidate = false)
	@ConditionalOnMissingBean(name = ASYNC_EXECUTOR)
	ThreadPoolTaskExecutor tieredCacheAsyncTaskExecutor() {
		return pool("optimization-cache-async-", ASYNC_THREADS, Integer.MAX_VALUE);
	}

	@Bean(name = REFRESH_EXECUTOR, defaultCandidate = false)
	@ConditionalOnMissingBean(name = REFRESH_EXECUTOR)
	ThreadPoolTaskExecutor tieredCacheRefreshTaskExecutor(TieredCacheProperties properties) {
		TieredCacheProperties.Refresh refresh = properties.getRefresh();
		if (refresh.getThreads() < 1) {
			throw new InvalidCacheSpecException("optimization.cache.refresh.threads",
					"must be at least 1, was " + refresh.getThreads());
		}
		if (refresh.getQueueCapacity() < 1) {
			throw new InvalidCacheSpecException("optimization.cache.refresh.queue-capacity",
					"must be at least 1, was " + refresh.getQueueCapacity());
		}
		return pool("optimization-cache-refresh-", refresh.getThreads(), refresh.getQueueCapacity());
	}

	/**
	 * A fixed pool of daemon threads that end when idle for a minute. It keeps taking
	 * work while the context closes (the cache manager, which is closed before it, is
	 * used until then) and drops what is queued when it is shut down.
	 */
	private static ThreadPoolTaskExecutor pool(String threadNamePrefix, int threads, int queueCapacity) {
		return new ThreadPoolTaskExecutorBuilder().corePoolSize(threads)
			.maxPoolSize(threads)
			.queueCapacity(queueCapacity)
			.keepAlive(Duration.ofSeconds(60))
			.allowCoreThreadTimeOut(true)
			.acceptTasksAfterContextClose(true)
			.threadNamePrefix(threadNamePrefix)
			.customizers((executor) -> executor.setDaemon(true))
			.build();
	}

}
