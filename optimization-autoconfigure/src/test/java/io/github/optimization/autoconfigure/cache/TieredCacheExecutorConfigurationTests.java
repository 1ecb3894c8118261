package io.github.optimization.autoconfigure.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.optimization.cache.RefreshTrigger;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.test.BootAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cache manager's thread pools are Spring beans: sized by the properties, used by the
 * manager, seen by Spring Boot's executor meters, shut down by the context, and invisible
 * to code that asks for the application's {@code Executor}.
 */
class TieredCacheExecutorConfigurationTests {

	private static final Duration TTL = Duration.ofMinutes(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.TASK_EXECUTION,
				TieredCacheAutoConfiguration.class, BootAutoConfigurations.CACHE));

	@Test
	void createsTheManagersPoolsWithTheirThreadNamesAndSizes() {
		this.runner
			.withPropertyValues("optimization.cache.refresh.threads=3", "optimization.cache.refresh.queue-capacity=7")
			.run((context) -> {
				ThreadPoolTaskExecutor async = context.getBean(TieredCacheExecutorConfiguration.ASYNC_EXECUTOR,
						ThreadPoolTaskExecutor.class);
				assertThat(async.getThreadNamePrefix()).isEqualTo("optimization-cache-async-");
				assertThat(async.getCorePoolSize()).isEqualTo(2);
				assertThat(async.getMaxPoolSize()).isEqualTo(2);
				assertThat(async.getQueueCapacity()).isEqualTo(Integer.MAX_VALUE);
				ThreadPoolTaskExecutor refresh = context.getBean(TieredCacheExecutorConfiguration.REFRESH_EXECUTOR,
						ThreadPoolTaskExecutor.class);
				assertThat(refresh.getThreadNamePrefix()).isEqualTo("optimization-cache-refresh-");
				assertThat(refresh.getCorePoolSize()).isEqualTo(3);
				assertThat(refresh.getMaxPoolSize()).isEqualTo(3);
				assertThat(refresh.getQueueCapacity()).isEqualTo(7);
				for (ThreadPoolTaskExecutor pool : List.of(async, refresh)) {
					assertThat(pool.isDaemon()).isTrue();
					assertThat(pool.getKeepAliveSeconds()).isEqualTo(60);
					assertThat(pool.getThreadPoolExecutor().allowsCoreThreadTimeOut()).isTrue();
				}
			});
	}

	@Test
	void leavesTheApplicationsTaskExecutorInPlace() {
		this.runner.run((context) -> {
			assertThat(context).hasBean("applicationTaskExecutor");
			assertThat(context.getBean(Executor.class)).as("the executor a plain injection point gets")
				.isSameAs(context.getBean("applicationTaskExecutor"));
		});
	}

	@Test
	void asynchronousWorkRunsOnTheAsyncPool() {
		this.runner.run((context) -> {
			TieredCache cache = (TieredCache) context.getBean(TieredCacheManager.class).getCache("users");
			AtomicReference<String> thread = new AtomicReference<>();
			Object value = cache.retrieve("k", () -> {
				thread.set(Thread.currentThread().getName());
				return CompletableFuture.completedFuture("v");
			}).get(10, TimeUnit.SECONDS);
			assertThat(value).isEqualTo("v");
			assertThat(thread.get()).startsWith("optimization-cache-async-");
		});
	}

	@Test
	void refreshesRunOnTheRefreshPoolSizedByTheProperties() {
		AtomicLong nanos = new AtomicLong();
		this.runner
			.withPropertyValues("optimization.cache.refresh.threads=1", "optimization.cache.refresh.queue-capacity=1",
					"optimization.cache.caches.users.ttl=10m", "optimization.cache.caches.users.ttl-jitter=0",
					"optimization.cache.caches.users.stale-while-revalidate=5m")
			.withBean(TieredCacheManagerCustomizer.class, () -> (builder) -> builder.ticker(nanos::get))
			.run((context) -> {
				TieredCache cache = (TieredCache) context.getBean(TieredCacheManager.class).getCache("users");
				for (String key : new String[] { "a", "b", "c" }) {
					cache.get(key, () -> key + "1");
				}
				nanos.addAndGet(TTL.plusMinutes(1).toNanos());
				CountDownLatch release = new CountDownLatch(1);
				List<String> threads = new CopyOnWriteArrayList<>();
				for (String key : new String[] { "a", "b", "c" }) {
					Object value = cache.get(key, () -> {
						threads.add(Thread.currentThread().getName());
						release.await(10, TimeUnit.SECONDS);
						return key + "2";
					});
					assertThat(value).as("stale at once").isEqualTo(key + "1");
				}
				assertThat(cache.getStatistics().refreshes(RefreshTrigger.STALE, false))
					.as("a runs, b waits in the queue, c is refused")
					.isEqualTo(1);
				release.countDown();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> cache.getStatistics().refreshes(RefreshTrigger.STALE, true) == 2);
				assertThat(threads).hasSize(2)
					.allSatisfy((name) -> assertThat(name).isEqualTo("optimization-cache-refresh-1"));
			});
	}

	@Test
	void thePoolsServeTheManagerWhileTheContextStopsAndAreShutDownAfterIt() {
		AtomicReference<Object> duringStop = new AtomicReference<>();
		List<ThreadPoolExecutor> pools = new CopyOnWriteArrayList<>();
		this.runner.withBean(RetrieveOnStop.class, () -> new RetrieveOnStop(duringStop)).run((context) -> {
			for (String name : new String[] { TieredCacheExecutorConfiguration.ASYNC_EXECUTOR,
					TieredCacheExecutorConfiguration.REFRESH_EXECUTOR }) {
				pools.add(context.getBean(name, ThreadPoolTaskExecutor.class).getThreadPoolExecutor());
			}
		});
		assertThat(duringStop.get()).as("a retrieve while the context stops (as in a graceful shutdown)")
			.isEqualTo("v");
		assertThat(pools).hasSize(2).allSatisfy((pool) -> assertThat(pool.isShutdown()).isTrue());
	}

	@Test
	void bindsSpringBootsExecutorMetersForBothPools() {
		this.runner
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.METRICS,
					BootAutoConfigurations.COMPOSITE_METER_REGISTRY, BootAutoConfigurations.PROMETHEUS_METRICS_EXPORT,
					BootAutoConfigurations.TASK_EXECUTOR_METRICS))
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (String name : new String[] { TieredCacheExecutorConfiguration.ASYNC_EXECUTOR,
						TieredCacheExecutorConfiguration.REFRESH_EXECUTOR }) {
					assertThat(registry.find("executor.pool.size").tag("name", name).gauge()).as(name).isNotNull();
					assertThat(registry.find("executor.completed").tag("name", name).functionCounter()).as(name)
						.isNotNull();
				}
				String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
				assertThat(scrape).as("the names docs/metrics.md gives")
					.contains("executor_pool_size_threads{name=\"tieredCacheAsyncTaskExecutor\"}",
							"executor_completed_tasks_total{name=\"tieredCacheRefreshTaskExecutor\"}",
							"executor_queue_remaining_tasks{name=\"tieredCacheRefreshTaskExecutor\"} 1000.0");
			});
	}

	@Test
	void backsOffWithTheApplicationsCacheManager() {
		this.runner.withBean(CacheManager.class, ConcurrentMapCacheManager::new)
			.run((context) -> assertThat(context).doesNotHaveBean(TieredCacheExecutorConfiguration.ASYNC_EXECUTOR)
				.doesNotHaveBean(TieredCacheExecutorConfiguration.REFRESH_EXECUTOR));
	}

	@Test
	void failsAtStartupNamingAnInvalidRefreshSetting() {
		this.runner.withPropertyValues("optimization.cache.refresh.queue-capacity=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("optimization.cache.refresh.queue-capacity"));
	}

	/**
	 * Uses the tiered cache when the context stops it, after the context-closed event and
	 * before any bean is destroyed.
	 */
	static class RetrieveOnStop implements SmartLifecycle, ApplicationContextAware {

		private final AtomicReference<Object> result;

		private ApplicationContext context;

		private volatile boolean running;

		RetrieveOnStop(AtomicReference<Object> result) {
			this.result = result;
		}

		@Override
		public void setApplicationContext(ApplicationContext context) {
			this.context = context;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
			TieredCache cache = (TieredCache) this.context.getBean(TieredCacheManager.class).getCache("late");
			this.result.set(cache.retrieve("k", () -> CompletableFuture.completedFuture("v")).join());
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
