package io.github.optimization.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.optimization.cache.key.RedisKeyScheme;
import io.github.optimization.cache.redis.RedisL2Store;
import io.github.optimization.test.SettableClock;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changes made while Redis was unreachable (the breaker open): until the repair has
 * deleted those keys in Redis, the instance that made them never reads Redis's older
 * value back, on any read path; the repair drops its own L1 copies of the repaired keys
 * (all of them when it had to clear the cache). The breaker is a switch and the repair
 * runs when the test calls it, so each step of the sequence happens at a known point.
 *
 * <p>
 * The sequence seen in a soak: Redis holds v193; with the breaker open, A puts v594 and
 * then evicts the key (its database now holds v652); the breaker closes; a peer's flush
 * message drops A's L1; A reads the key before its repair ran. It must get v652, not
 * v193.
 */
class OutageRepairTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final String OLD = "v193";

	private final LettuceConnectionFactory connectionFactory = redis.connectionFactory();

	private final FakeTicker ticker = new FakeTicker();

	private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final ManualExecutor background = new ManualExecutor();

	private final SwitchGuard breaker = new SwitchGuard();

	/** The application's database: what loaders read. */
	private final AtomicReference<String> database = new AtomicReference<>(OLD);

	@BeforeEach
	void flush() {
		redis.flushAll();
	}

	private TieredCacheManager manager(CacheSpec spec) {
		return TwoLevelTieredCacheContractTests.managerBuilder(redis)
			.guard(this.breaker)
			.ticker(this.ticker)
			.clock(this.clock)
			.executor(Runnable::run)
			.asyncExecutor(Runnable::run)
			.refreshExecutor(this.background)
			.cache("c", spec)
			.build();
	}

	private static CacheSpec plain() {
		return CacheSpec.builder().ttl(Duration.ofHours(1)).ttlJitter(0).build("c");
	}

	/**
	 * Redis holds {@link #OLD} for key k; with the breaker open, A puts v594 and evicts k
	 * (database: v652); the breaker closes and a peer's flush drops A's L1. The repair
	 * has not run.
	 */
	private TieredCache outageWithChangesOnA(TieredCacheManager a) {
		TieredCache cache = (TieredCache) a.getCache("c");
		assertThat(cache.get("k", this.database::get)).isEqualTo(OLD);
		this.breaker.open = true;
		this.database.set("v594");
		cache.put("k", "v594");
		this.database.set("v652");
		cache.evict("k");
		this.breaker.open = false;
		a.flushAll(FlushReason.PEER);
		assertThat(redisValue("k")).as("Redis still holds the older value").contains(OLD);
		return cache;
	}

	@Test
	void aReadWithALoaderBeforeTheRepairLoadsTheAcknowledgedValue() {
		TieredCacheManager a = manager(plain());
		TieredCache cache = outageWithChangesOnA(a);
		assertThat(cache.get("k", this.database::get)).isEqualTo("v652");
		assertThat(cache.get("k", this.database::get)).as("and keeps it in L1").isEqualTo("v652");
		assertThat(a.repairL2()).isTrue();
		assertThat(l1(cache, "k")).as("the repair drops A's own copy of the repaired key").isNull();
		assertThat(redisValue("k")).as("nothing left in Redis").isEmpty();
		assertThat(cache.get("k", this.database::get)).isEqualTo("v652");
	}

	@Test
	void aReadWithoutALoaderBeforeTheRepairIsAMiss() {
		TieredCache cache = outageWithChangesOnA(manager(plain()));
		assertThat(cache.get("k")).isNull();
		assertThat(l1(cache, "k")).isNull();
	}

	@Test
	void asyncReadsBeforeTheRepairNeverReturnTheOlderValue() {
		TieredCache cache = outageWithChangesOnA(manager(plain()));
		assertThat(cache.retrieve("k")).isCompletedWithValue(null);
		CompletableFuture<String> loaded = cache.retrieve("k",
				() -> CompletableFuture.completedFuture(this.database.get()));
		assertThat(loaded).isCompletedWithValue("v652");
		assertThat(l1(cache, "k")).isEqualTo("v652");
	}

	@Test
	void aBatchBeforeTheRepairLoadsThePendingKeysAndReadsTheOthersFromRedis() {
		TieredCacheManager b = manager(plain());
		((TieredCache) b.getCache("c")).put("other", "from-redis");
		TieredCache cache = outageWithChangesOnA(manager(plain()));
		Function<Set<String>, Map<String, String>> loader = (keys) -> keys.stream()
			.collect(Collectors.toMap(Function.identity(), (key) -> key.equals("k") ? this.database.get() : "loaded"));
		assertThat(cache.getAll(List.of("k", "other"), loader, LoadOptions.DEFAULT))
			.containsExactly(Map.entry("k", "v652"), Map.entry("other", "from-redis"));
		assertThat(l1(cache, "k")).isEqualTo("v652");
	}

	@Test
	void putIfAbsentBeforeTheRepairTreatsTheOlderValueAsAbsent() {
		TieredCache cache = outageWithChangesOnA(manager(plain()));
		assertThat(cache.putIfAbsent("k", "v652")).isNull();
		assertThat(l1(cache, "k")).isEqualTo("v652");
		assertThat(redisValue("k")).contains("v652");
	}

	@Test
	void aClusterWaiterBeforeTheRepairNeverTakesTheOlderValueFromRedis() {
		CacheSpec clustered = plain().toBuilder()
			.clusterSingleFlight(true)
			.lockPollInterval(Duration.ofMillis(5))
			.build("c");
		TieredCache cache = outageWithChangesOnA(manager(clustered));
		// Another instance holds the load lock (and crashed): A waits, polling Redis,
		// until the
		// lock expires, then loads under it.
		byte[] lockKey = new RedisKeyScheme("opt:", 1).forCache("c").lockKey("k");
		redis.adminBytes().psetex(lockKey, 300, "crashed".getBytes());
		assertThat(cache.get("k", this.database::get)).isEqualTo("v652");
		assertThat(l1(cache, "k")).isEqualTo("v652");
	}

	@Test
	void aBackgroundRefreshBeforeTheRepairNeverTakesTheOlderValueFromRedis() {
		CacheSpec stale = plain().toBuilder().staleWhileRevalidate(Duration.ofHours(1)).build("c");
		TieredCacheManager a = manager(stale);
		TieredCache cache = (TieredCache) a.getCache("c");
		// Redis holds the older value, fresh for an hour.
		assertThat(cache.get("k", this.database::get)).isEqualTo(OLD);
		this.breaker.open = true;
		this.database.set("v594");
		cache.put("k", "v594", new LoadOptions(Duration.ofSeconds(10), null, null));
		this.breaker.open = false;
		// A's own entry turns stale: the next read serves it and refreshes it in the
		// background.
		this.ticker.advance(Duration.ofSeconds(11));
		this.clock.advance(Duration.ofSeconds(11));
		this.database.set("v652");
		assertThat(cache.get("k", this.database::get)).isEqualTo("v594");
		this.background.runAll();
		assertThat(l1(cache, "k")).as("the refresh loaded, it did not take Redis's older value").isEqualTo("v652");
		assertThat(cache.get("k", this.database::get)).isEqualTo("v652");
	}

	@Test
	void aRepairDropsTheInstancesOwnCopiesOfTheRepairedKeys() {
		TieredCacheManager a = manager(plain());
		TieredCache cache = (TieredCache) a.getCache("c");
		cache.put("k", OLD);
		this.breaker.open = true;
		cache.put("k", "v594");
		assertThat(l1(cache, "k")).isEqualTo("v594");
		this.breaker.open = false;
		assertThat(a.repairL2()).isTrue();
		assertThat(l1(cache, "k")).isNull();
		assertThat(redisValue("k")).isEmpty();
		assertThat(a.repairL2()).as("nothing is left to repair").isTrue();
	}

	@Test
	void aClearThatMissedRedisMakesEveryKeyAMissUntilTheCacheIsClearedThere() {
		TieredCacheManager a = manager(plain());
		TieredCache cache = (TieredCache) a.getCache("c");
		cache.put("k", OLD);
		cache.put("k2", "w1");
		this.breaker.open = true;
		cache.clear();
		this.breaker.open = false;
		assertThat(cache.get("k2")).as("Redis's w1 predates the clear").isNull();
		assertThat(cache.get("k2", () -> "w2")).isEqualTo("w2");
		assertThat(a.repairL2()).isTrue();
		assertThat(l1(cache, "k2")).as("the repair drops the whole L1 of the cache").isNull();
		assertThat(redisValue("k")).isEmpty();
		assertThat(redisValue("k2")).isEmpty();
	}

	@Test
	void aRepairThatFailsKeepsTheKeysPendingUntilOneSucceeds() {
		TieredCacheManager a = manager(plain());
		TieredCache cache = outageWithChangesOnA(a);
		this.breaker.open = true;
		assertThat(a.repairL2()).isFalse();
		this.breaker.open = false;
		assertThat(cache.get("k")).as("still pending: Redis is not read").isNull();
		assertThat(a.repairL2()).isTrue();
		assertThat(redisValue("k")).isEmpty();
	}

	@Test
	void theFirstSubscriptionKeepsTheWriteBacksOfTheFirstLoadsAndLaterResubscriptionsUndoThem() {
		InvalidationPublisher silent = new InvalidationPublisher() {
			@Override
			public void keyChanged(String cacheName, String keyDigest) {
			}

			@Override
			public void cacheCleared(String cacheName) {
			}
		};
		TieredCacheManager a = TieredCacheManager.builder()
			.l2Store(new RedisL2Store(connectionFactory))
			.codec(TwoLevelTieredCacheContractTests.codec())
			.invalidationPublisher(silent)
			.ticker(this.ticker)
			.clock(this.clock)
			.executor(Runnable::run)
			.cache("c", plain())
			.build();
		TieredCache cache = (TieredCache) a.getCache("c");
		assertThat(cache.get("warm", () -> "loaded at start")).isEqualTo("loaded at start");
		a.flushAll(FlushReason.RESUBSCRIBE);
		assertThat(redisValue("warm")).as("the first subscription undoes nothing").contains("loaded at start");
		assertThat(cache.getStatistics().writeBacksUndone()).isZero();

		// Past the window of the first write-back: only the later one is recent.
		this.ticker.advance(RecentWriteBacks.WINDOW.plusMillis(1));
		assertThat(cache.get("later", () -> "loaded later")).isEqualTo("loaded later");
		a.flushAll(FlushReason.RESUBSCRIBE);
		assertThat(redisValue("later")).as("a resubscription undoes recent write-backs").isEmpty();
		assertThat(redisValue("warm")).contains("loaded at start");
		assertThat(cache.getStatistics().writeBacksUndone()).isOne();
	}

	private static Object l1(TieredCache cache, Object key) {
		ValueWrapper wrapper = cache.getFromL1(key);
		return (wrapper != null) ? wrapper.get() : null;
	}

	/** The value Redis holds for a key of cache "c", read from its JSON envelope. */
	private static java.util.Optional<String> redisValue(String key) {
		byte[] bytes = redis.adminBytes().get(new RedisKeyScheme("opt:", 1).forCache("c").redisKey(key));
		if (bytes == null) {
			return java.util.Optional.empty();
		}
		Object value = TwoLevelTieredCacheContractTests.codec().decode(bytes, null).value();
		return java.util.Optional.of(String.valueOf(value));
	}

	/** A breaker the test opens and closes. */
	private static final class SwitchGuard implements L2Guard {

		volatile boolean open;

		@Override
		public boolean tryAcquire() {
			return !this.open;
		}

		@Override
		public void release() {
		}

		@Override
		public void onSuccess(long nanos) {
		}

		@Override
		public void onError(long nanos, Throwable error) {
		}

		@Override
		public boolean isTimeout(Throwable error) {
			return false;
		}

		@Override
		public boolean isUnavailable(Throwable error) {
			return true;
		}

		@Override
		public String state() {
			return this.open ? "OPEN" : "CLOSED";
		}

	}

}
