package io.github.optimization.cache;

import io.github.optimization.cache.key.KeyDigest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.optimization.cache.redis.RedisL2Store;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads and loads that race writes and evictions never leave an older value behind, in L1
 * or in Redis. A store that can hold a read or a write mid-call (over a real Redis) makes
 * the interleavings deterministic.
 */
class TieredCacheRaceTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final LettuceConnectionFactory connectionFactory = redis.connectionFactory();

	@BeforeEach
	void flush() {
		redis.flushAll();
	}

	private TieredCacheManager manager(L2Store store, CacheSpec spec) {
		return TieredCacheManager.builder()
			.l2Store(store)
			.codec(TwoLevelTieredCacheContractTests.codec())
			.cache("c", spec)
			.build();
	}

	@Test
	void aPlainReadRacingAPutDoesNotInstallTheOlderValue() throws Exception {
		HoldingStore store = new HoldingStore(new RedisL2Store(connectionFactory));
		TieredCache cache = (TieredCache) manager(store, CacheSpec.defaults()).getCache("c");
		TieredCache peer = (TieredCache) manager(new RedisL2Store(connectionFactory), CacheSpec.defaults())
			.getCache("c");
		peer.put("k", "v1");
		store.holdNextGet();
		CompletableFuture<ValueWrapper> read = CompletableFuture.supplyAsync(() -> cache.get("k"));
		store.awaitHeld();
		cache.put("k", "v2");
		store.release();
		assertThat(read.get(10, TimeUnit.SECONDS).get()).as("the racing reader gets what it read").isEqualTo("v1");
		assertThat(cache.get("k").get()).as("but L1 keeps the newer value").isEqualTo("v2");
	}

	@Test
	void aLoadRacingAnEvictionLeavesNothingStaleInRedis() throws Exception {
		HoldingStore store = new HoldingStore(new RedisL2Store(connectionFactory));
		TieredCache cache = (TieredCache) manager(store, CacheSpec.defaults()).getCache("c");
		TieredCache peer = (TieredCache) manager(new RedisL2Store(connectionFactory), CacheSpec.defaults())
			.getCache("c");
		store.holdNextSet();
		CompletableFuture<Object> load = CompletableFuture.supplyAsync(() -> cache.get("k", () -> "stale"));
		store.awaitHeld();
		cache.evict("k");
		store.release();
		assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo("stale");
		assertThat(peer.get("k")).as("the write that raced the eviction was undone").isNull();
		assertThat(cache.get("k")).isNull();
	}

	@Test
	void callersArrivingAfterAnEvictionStartAFreshLoad() throws Exception {
		TieredCache cache = (TieredCache) manager(new RedisL2Store(connectionFactory), CacheSpec.defaults())
			.getCache("c");
		CountDownLatch inLoader = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Object> old = CompletableFuture.supplyAsync(() -> cache.get("k", () -> {
			inLoader.countDown();
			release.await(10, TimeUnit.SECONDS);
			return "before eviction";
		}));
		assertThat(inLoader.await(10, TimeUnit.SECONDS)).isTrue();
		cache.evict("k");
		Object fresh = cache.get("k", () -> "after eviction");
		release.countDown();
		assertThat(fresh).isEqualTo("after eviction");
		assertThat(old.get(10, TimeUnit.SECONDS)).isEqualTo("before eviction");
		assertThat(cache.get("k").get()).isEqualTo("after eviction");
	}

	@Test
	void waitersGiveUpOnAHungLoaderAndLoadThemselves() throws Exception {
		TieredCache cache = (TieredCache) manager(new RedisL2Store(connectionFactory),
				CacheSpec.builder().loadWaitTimeout(Duration.ofMillis(200)).build("t"))
			.getCache("c");
		CountDownLatch inLoader = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		CompletableFuture<Void> hung = CompletableFuture.runAsync(() -> cache.get("k", () -> {
			inLoader.countDown();
			never.await(10, TimeUnit.SECONDS);
			return "hung";
		}));
		assertThat(inLoader.await(10, TimeUnit.SECONDS)).isTrue();
		long start = System.nanoTime();
		Object value = cache.get("k", () -> "own load");
		long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		never.countDown();
		hung.get(10, TimeUnit.SECONDS);
		assertThat(value).isEqualTo("own load");
		assertThat(waitedMillis).isBetween(150L, 5_000L);
	}

	@Test
	void anAsyncLoadOnTheSameThreadIsNotARecursiveLoad() throws Exception {
		TieredCache cache = (TieredCache) manager(new RedisL2Store(connectionFactory), CacheSpec.defaults())
			.getCache("c");
		CompletableFuture<String> slow = new CompletableFuture<>();
		CompletableFuture<String> pending = cache.retrieve("k", () -> slow);
		AtomicReference<Object> got = new AtomicReference<>();
		CompletableFuture<Void> sync = CompletableFuture.runAsync(() -> got.set(cache.get("k", () -> "sync")));
		slow.complete("async");
		assertThat(pending.get(10, TimeUnit.SECONDS)).isEqualTo("async");
		sync.get(10, TimeUnit.SECONDS);
		assertThat(got.get()).isIn("async", "sync");
	}

	@Test
	void dynamicCachesAreCapped() {
		TieredCacheManager manager = TieredCacheManager.builder()
			.dynamicLimit(3)
			.cache("configured", CacheSpec.defaults())
			.build();
		AtomicInteger created = new AtomicInteger();
		for (int i = 0; i < 10; i++) {
			if (manager.getCache("name-" + i) != null) {
				created.incrementAndGet();
			}
		}
		assertThat(created).hasValue(3);
		assertThat(manager.getCache("configured")).isNotNull();
		assertThat(manager.getCache("name-0")).as("existing ones stay available").isNotNull();
	}

	/** Delegates to a real store, and can hold the next GET or SET until released. */
	static final class HoldingStore extends ForwardingL2Store {

		private volatile CountDownLatch held = new CountDownLatch(0);

		private volatile CountDownLatch release = new CountDownLatch(0);

		private volatile boolean holdGet;

		private volatile boolean holdSet;

		HoldingStore(L2Store delegate) {
			super(delegate);
		}

		void holdNextGet() {
			this.held = new CountDownLatch(1);
			this.release = new CountDownLatch(1);
			this.holdGet = true;
		}

		void holdNextSet() {
			this.held = new CountDownLatch(1);
			this.release = new CountDownLatch(1);
			this.holdSet = true;
		}

		void awaitHeld() throws InterruptedException {
			assertThat(this.held.await(10, TimeUnit.SECONDS)).isTrue();
		}

		void release() {
			this.release.countDown();
		}

		private void hold() {
			this.held.countDown();
			try {
				this.release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public byte[] get(byte[] key) {
			byte[] value = super.get(key);
			if (this.holdGet) {
				this.holdGet = false;
				hold();
			}
			return value;
		}

		@Override
		public void set(byte[] key, byte[] value, long ttlMillis) {
			if (this.holdSet) {
				this.holdSet = false;
				hold();
			}
			super.set(key, value, ttlMillis);
		}

	}

	/**
	 * A cache that tracks keys for invalidations from other instances (a silent
	 * publisher).
	 */
	private TieredCache trackingCache() {
		InvalidationPublisher silent = new InvalidationPublisher() {
			@Override
			public void keyChanged(String cacheName, String keyDigest) {
			}

			@Override
			public void cacheCleared(String cacheName) {
			}
		};
		return (TieredCache) TwoLevelTieredCacheContractTests.managerBuilder(redis)
			.invalidationPublisher(silent)
			.cache("c", CacheSpec.defaults())
			.build()
			.getCache("c");
	}

	@Test
	void aLoadRacingAnotherInstancesInvalidationOfAnotherKeyIsStillStored() {
		TieredCache cache = trackingCache();
		Object value = cache.getOrLoad("k", () -> {
			cache.invalidateL1(KeyDigest.of("other"));
			return "v";
		}, LoadOptions.DEFAULT);
		assertThat(value).isEqualTo("v");
		assertThat(cache.getFromL1("k")).as("installed in L1 despite the unrelated invalidation").isNotNull();
		assertThat(redis.admin().dbsize()).as("and written to Redis").isEqualTo(1);
	}

	@Test
	void aLoadRacingAnotherInstancesInvalidationOfItsOwnKeyIsNotStored() {
		TieredCache cache = trackingCache();
		Object value = cache.getOrLoad("k", () -> {
			cache.invalidateL1(KeyDigest.of("k"));
			return "v";
		}, LoadOptions.DEFAULT);
		assertThat(value).as("the caller still gets what it loaded").isEqualTo("v");
		assertThat(cache.getFromL1("k")).isNull();
		assertThat(redis.admin().dbsize()).isZero();
	}

	@Test
	void aLoadThatReadRedisBeforeAPutsWriteLandedDoesNotInstallTheOlderValueAfterThePut() throws Exception {
		GateStore store = new GateStore(new RedisL2Store(connectionFactory));
		TieredCache cache = (TieredCache) manager(store, CacheSpec.defaults()).getCache("c");
		TieredCache peer = (TieredCache) manager(new RedisL2Store(connectionFactory), CacheSpec.defaults())
			.getCache("c");
		peer.put("k", "v1");
		// The put marks the key changed, then waits before its SET.
		CompletableFuture<Void> put = CompletableFuture.runAsync(() -> cache.put("k", "v2"));
		store.setGate.awaitArrived();
		// A load that starts now reads the old value from Redis, then waits before using
		// it.
		CompletableFuture<Object> load = CompletableFuture
			.supplyAsync(() -> cache.getOrLoad("k", () -> "loaded", LoadOptions.DEFAULT));
		store.getGate.awaitArrived();
		store.setGate.open();
		put.get(10, TimeUnit.SECONDS);
		store.getGate.open();
		assertThat(load.get(10, TimeUnit.SECONDS)).as("the load returns what it read").isEqualTo("v1");
		assertThat(cache.getFromL1("k").get()).as("but the put's value stays in L1").isEqualTo("v2");
	}

	/**
	 * Holds the next GET (after reading) and the next SET (before writing),
	 * independently.
	 */
	static final class GateStore extends ForwardingL2Store {

		final Gate getGate = new Gate();

		final Gate setGate = new Gate();

		GateStore(L2Store delegate) {
			super(delegate);
		}

		@Override
		public byte[] get(byte[] key) {
			byte[] value = super.get(key);
			this.getGate.pass();
			return value;
		}

		@Override
		public void set(byte[] key, byte[] value, long ttlMillis) {
			this.setGate.pass();
			super.set(key, value, ttlMillis);
		}

	}

	/** Stops the first thread that passes until opened; later threads pass freely. */
	static final class Gate {

		private final CountDownLatch arrived = new CountDownLatch(1);

		private final CountDownLatch opened = new CountDownLatch(1);

		private final java.util.concurrent.atomic.AtomicBoolean used = new java.util.concurrent.atomic.AtomicBoolean();

		void pass() {
			if (this.used.compareAndSet(false, true)) {
				this.arrived.countDown();
				try {
					assertThat(this.opened.await(10, TimeUnit.SECONDS)).isTrue();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		void awaitArrived() throws InterruptedException {
			assertThat(this.arrived.await(10, TimeUnit.SECONDS)).isTrue();
		}

		void open() {
			this.opened.countDown();
		}

	}

}
