package io.github.optimization.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.cache.Cache;
import org.springframework.cache.Cache.ValueWrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Spring's {@link Cache} contract, run against the in-process-only and the two-level
 * configurations.
 */
abstract class AbstractTieredCacheContractTests {

	private static final int CALLERS = 64;

	/** A fresh, empty cache named {@code name}. */
	abstract TieredCache cache(String name);

	@Test
	void getOfAnAbsentKeyIsNull() {
		TieredCache cache = cache("contract");
		assertThat(cache.get("absent")).isNull();
		assertThat(cache.get("absent", String.class)).isNull();
		assertThat(cache.getStatistics().misses()).isEqualTo(2);
	}

	@Test
	void putThenGetReturnsTheValue() {
		TieredCache cache = cache("contract");
		cache.put("k", "v");
		assertThat(cache.get("k")).extracting(ValueWrapper::get).isEqualTo("v");
		assertThat(cache.get("k", String.class)).isEqualTo("v");
		assertThat(cache.getStatistics().puts()).isEqualTo(1);
	}

	@Test
	void getWithTheWrongTypeFails() {
		TieredCache cache = cache("contract");
		cache.put("k", "v");
		assertThatIllegalStateException().isThrownBy(() -> cache.get("k", Integer.class))
			.withMessageContaining("java.lang.Integer");
	}

	@Test
	void cachedNullIsAPresentNullValue() {
		TieredCache cache = cache("contract");
		cache.put("k", null);
		ValueWrapper wrapper = cache.get("k");
		assertThat(wrapper).isNotNull();
		assertThat(wrapper.get()).isNull();
	}

	@Test
	void getWithLoaderLoadsOnceThenServesTheCachedValue() {
		TieredCache cache = cache("contract");
		AtomicInteger calls = new AtomicInteger();
		String first = cache.get("k", () -> "v" + calls.incrementAndGet());
		String second = cache.get("k", () -> "v" + calls.incrementAndGet());
		assertThat(first).isEqualTo("v1");
		assertThat(second).isEqualTo("v1");
		assertThat(calls).hasValue(1);
		assertThat(cache.getStatistics().loadSuccesses()).isEqualTo(1);
	}

	@Test
	void concurrentCallersOfAColdKeyShareOneLoaderCall() throws Exception {
		TieredCache cache = cache("contract");
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		List<CompletableFuture<Object>> results = callConcurrently(() -> cache.get("cold", () -> {
			calls.incrementAndGet();
			release.await(10, TimeUnit.SECONDS);
			return "loaded";
		}));
		awaitOthersWaiting(calls);
		release.countDown();
		for (CompletableFuture<Object> result : results) {
			assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
		}
		assertThat(calls).hasValue(1);
	}

	@Test
	void loaderFailureReachesEveryCallerAndCachesNothing() throws Exception {
		TieredCache cache = cache("contract");
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		IllegalStateException failure = new IllegalStateException("backend down");
		List<CompletableFuture<Object>> results = callConcurrently(() -> cache.get("cold", () -> {
			calls.incrementAndGet();
			release.await(10, TimeUnit.SECONDS);
			throw failure;
		}));
		awaitOthersWaiting(calls);
		release.countDown();
		for (CompletableFuture<Object> result : results) {
			assertThat(result).failsWithin(Duration.ofSeconds(10))
				.withThrowableOfType(java.util.concurrent.ExecutionException.class)
				.havingCause()
				.isInstanceOf(Cache.ValueRetrievalException.class)
				.havingCause()
				.isSameAs(failure);
		}
		assertThat(calls).hasValue(1);
		assertThat(cache.get("cold")).as("nothing cached after a failure").isNull();
		assertThat(cache.getStatistics().loadFailures()).isEqualTo(1);
		String retried = cache.get("cold", () -> "recovered");
		assertThat(retried).isEqualTo("recovered");
	}

	@Test
	void recursiveLoadOfTheSameKeyFailsInsteadOfDeadlocking() {
		TieredCache cache = cache("contract");
		assertThatExceptionOfType(Cache.ValueRetrievalException.class)
			.isThrownBy(() -> cache.get("k", () -> cache.get("k", () -> "inner")))
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageContaining("Recursive load");
		assertThat(cache.get("k")).isNull();
	}

	@Test
	void putIfAbsentStoresOnlyWhenAbsent() {
		TieredCache cache = cache("contract");
		assertThat(cache.putIfAbsent("k", "first")).isNull();
		assertThat(cache.putIfAbsent("k", "second")).extracting(ValueWrapper::get).isEqualTo("first");
		assertThat(cache.get("k")).extracting(ValueWrapper::get).isEqualTo("first");
	}

	@Test
	void evictRemovesTheKeyAndReportsPresence() {
		TieredCache cache = cache("contract");
		cache.put("k", "v");
		cache.put("other", "v");
		assertThat(cache.evictIfPresent("k")).isTrue();
		assertThat(cache.evictIfPresent("k")).isFalse();
		cache.evict("other");
		assertThat(cache.get("k")).isNull();
		assertThat(cache.get("other")).isNull();
		assertThat(cache.getStatistics().evictions()).isEqualTo(2);
	}

	@Test
	void clearAndInvalidateRemoveEverything() {
		TieredCache cache = cache("contract");
		cache.put("a", 1);
		cache.put("b", 2);
		cache.clear();
		assertThat(cache.get("a")).isNull();
		assertThat(cache.get("b")).isNull();
		cache.put("c", 3);
		assertThat(cache.invalidate()).isTrue();
		assertThat(cache.get("c")).isNull();
	}

	@Test
	void retrieveReturnsAFutureOfTheValue() throws Exception {
		TieredCache cache = cache("contract");
		cache.put("k", "v");
		CompletableFuture<?> hit = cache.retrieve("k");
		assertThat(hit).isNotNull();
		assertThat(((ValueWrapper) hit.get(5, TimeUnit.SECONDS)).get()).isEqualTo("v");
		CompletableFuture<?> miss = cache.retrieve("absent");
		assertThat((miss != null) ? miss.get(5, TimeUnit.SECONDS) : null).isNull();
	}

	@Test
	void retrieveWithLoaderLoadsOnceAndStores() throws Exception {
		TieredCache cache = cache("contract");
		AtomicInteger calls = new AtomicInteger();
		CompletableFuture<String> loaded = cache.retrieve("k",
				() -> CompletableFuture.supplyAsync(() -> "v" + calls.incrementAndGet()));
		assertThat(loaded.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
		assertThat(cache.retrieve("k", () -> CompletableFuture.completedFuture("other")).get(5, TimeUnit.SECONDS))
			.isEqualTo("v1");
		assertThat(calls).hasValue(1);
	}

	@Test
	void retrieveWithFailingLoaderFailsTheFutureAndCachesNothing() {
		TieredCache cache = cache("contract");
		IllegalStateException failure = new IllegalStateException("down");
		CompletableFuture<String> loaded = cache.retrieve("k", () -> CompletableFuture.failedFuture(failure));
		assertThat(loaded).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withRootCauseInstanceOf(IllegalStateException.class);
		assertThat(cache.get("k")).isNull();
	}

	@Test
	void evictDuringALoadKeepsTheLoadedValueOutOfTheCache() throws Exception {
		TieredCache cache = cache("contract");
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch evicted = new CountDownLatch(1);
		CompletableFuture<Object> load = CompletableFuture.supplyAsync(() -> cache.get("k", () -> {
			loading.countDown();
			evicted.await(10, TimeUnit.SECONDS);
			return "stale";
		}));
		assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
		cache.evict("k");
		evicted.countDown();
		assertThat(load.get(10, TimeUnit.SECONDS)).as("the caller still gets what it loaded").isEqualTo("stale");
		assertThat(cache.get("k")).as("but the cache does not keep it").isNull();
	}

	private static List<CompletableFuture<Object>> callConcurrently(java.util.concurrent.Callable<Object> call) {
		List<CompletableFuture<Object>> results = new ArrayList<>();
		for (int i = 0; i < CALLERS; i++) {
			CompletableFuture<Object> result = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					result.complete(call.call());
				}
				catch (Throwable ex) {
					result.completeExceptionally(ex);
				}
			}, "caller-" + i);
			thread.setDaemon(true);
			thread.start();
			results.add(result);
		}
		return results;
	}

	/**
	 * Waits until the leader is in the loader and every other caller is parked waiting.
	 */
	private static void awaitOthersWaiting(AtomicInteger loaderCalls) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> loaderCalls.get() == 1 && Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((t) -> t.getName().startsWith("caller-"))
				.filter((t) -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)
				.count() == CALLERS);
	}

}
