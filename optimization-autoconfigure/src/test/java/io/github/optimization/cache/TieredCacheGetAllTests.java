package io.github.optimization.cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.optimization.cache.redis.RedisL2Store;
import io.github.optimization.test.SettableClock;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link TieredCache#getAll}: L1, then one MGET, then one loader call with exactly the
 * missing keys, over a real Redis whose command counts are read from
 * {@code INFO commandstats}.
 */
class TieredCacheGetAllTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final List<Long> IDS = IntStream.rangeClosed(1, 10).mapToObj(Long::valueOf).toList();

	private final LettuceConnectionFactory connectionFactory = redis.connectionFactory();

	private final List<Set<Long>> loaderCalls = new CopyOnWriteArrayList<>();

	@BeforeEach
	void flush() {
		redis.flushAll();
	}

	private static TieredCache cache(CacheSpec spec) {
		return (TieredCache) TwoLevelTieredCacheContractTests.managerBuilder(redis)
			.cache("users", spec)
			.build()
			.getCache("users");
	}

	/** The "database": knows every id but 13 and 14; records each call's ids. */
	private Function<Set<Long>, Map<Long, String>> database() {
		return (ids) -> {
			this.loaderCalls.add(Set.copyOf(ids));
			return ids.stream()
				.filter((id) -> id != 13 && id != 14)
				.collect(Collectors.toMap((id) -> id, (id) -> "user-" + id));
		};
	}

	@Test
	void tenIdsWithFourCachedTakeOneMgetAndLoadTheSixMissing() {
		TieredCache cache = cache(CacheSpec.defaults());
		TieredCache peer = cache(CacheSpec.defaults());
		cache.put(1L, "user-1");
		cache.put(2L, "user-2");
		peer.put(3L, "user-3"); // only in Redis, as far as this instance's L1 knows
		peer.put(4L, "user-4");
		redis.resetCommandStats();

		Map<Long, String> users = cache.getAll(IDS, database(), LoadOptions.DEFAULT);

		assertThat(redis.commandCount("mget")).as("MGETs").isEqualTo(1);
		assertThat(redis.commandCount("get")).as("single GETs").isZero();
		assertThat(this.loaderCalls).containsExactly(Set.of(5L, 6L, 7L, 8L, 9L, 10L));
		assertThat(users.keySet()).containsExactlyElementsOf(IDS);
		assertThat(users).containsEntry(3L, "user-3").containsEntry(10L, "user-10");
		assertThat(redis.commandCount("set")).as("SETs of the loaded values").isEqualTo(6);

		assertThat(cache.getAll(IDS, database(), LoadOptions.DEFAULT)).isEqualTo(users);
		assertThat(peer.getAll(IDS, database(), LoadOptions.DEFAULT)).as("another instance, from Redis")
			.isEqualTo(users);
		assertThat(this.loaderCalls).as("loader calls after the first").hasSize(1);
		assertThat(redis.commandCount("mget")).as("MGETs: the first call and the peer's").isEqualTo(2);
	}

	@Test
	void idsTheLoaderDoesNotReturnAreCachedAsNullAndLeftOut() {
		TieredCache cache = cache(CacheSpec.defaults());
		List<Long> ids = List.of(12L, 13L, 14L);

		assertThat(cache.getAll(ids, database(), LoadOptions.DEFAULT)).containsOnlyKeys(12L);
		assertThat(cache.getAll(ids, database(), LoadOptions.DEFAULT)).containsOnlyKeys(12L);
		assertThat(cache(CacheSpec.defaults()).getAll(ids, database(), LoadOptions.DEFAULT)).containsOnlyKeys(12L);

		assertThat(this.loaderCalls).containsExactly(Set.of(12L, 13L, 14L));
		assertThat(cache.get(13L)).as("a cached null").isNotNull().extracting((wrapper) -> wrapper.get()).isNull();
	}

	@Test
	void withoutCachedNullsMissingIdsAreAskedForAgain() {
		TieredCache cache = cache(CacheSpec.builder().cacheNulls(false).build("test"));
		List<Long> ids = List.of(12L, 13L);

		cache.getAll(ids, database(), LoadOptions.DEFAULT);
		cache.getAll(ids, database(), LoadOptions.DEFAULT);

		assertThat(this.loaderCalls).containsExactly(Set.of(12L, 13L), Set.of(13L));
	}

	@Test
	void aKeyChangedDuringTheBatchIsReturnedButNotStored() {
		TieredCache cache = cache(CacheSpec.defaults());

		Map<Long, String> users = cache.getAll(List.of(1L, 2L), (ids) -> {
			cache.put(1L, "renamed");
			Map<Long, String> rows = new LinkedHashMap<>();
			ids.forEach((id) -> rows.put(id, "user-" + id));
			return rows;
		}, LoadOptions.DEFAULT);

		assertThat(users).containsEntry(1L, "user-1").containsEntry(2L, "user-2");
		assertThat(cache.get(1L).get()).as("L1 keeps the newer value").isEqualTo("renamed");
		assertThat(cache(CacheSpec.defaults()).get(1L).get()).as("so does Redis").isEqualTo("renamed");
	}

	@Test
	void loaderExceptionsReachTheCallerUnchangedAndNothingIsCached() {
		TieredCache cache = cache(CacheSpec.defaults());

		assertThatIllegalStateException().isThrownBy(() -> cache.getAll(List.of(1L), (ids) -> {
			throw new IllegalStateException("database down");
		}, LoadOptions.DEFAULT)).withMessage("database down");

		assertThat(cache.get(1L)).isNull();
		assertThat(cache.getStatistics().loadFailures()).isEqualTo(1);
	}

	@Test
	void keysFoundInL1NeedNoRedisAndNoLoader() {
		TieredCache cache = cache(CacheSpec.defaults());
		cache.put(1L, "user-1");
		redis.resetCommandStats();

		assertThat(cache.getAll(List.of(1L, 1L), database(), LoadOptions.DEFAULT))
			.containsExactly(Map.entry(1L, "user-1"));
		assertThat(cache.getAll(List.of(), database(), LoadOptions.DEFAULT)).isEmpty();

		assertThat(redis.commandCount("mget")).isZero();
		assertThat(this.loaderCalls).isEmpty();
	}

	@Test
	void aBatchReloadsIdsKeptPastTheirTtlForTheStaleOptions() {
		FakeTicker ticker = new FakeTicker();
		SettableClock clock = new SettableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
		CacheSpec spec = CacheSpec.builder()
			.ttl(java.time.Duration.ofMinutes(10))
			.ttlJitter(0)
			.staleWhileRevalidate(java.time.Duration.ofMinutes(5))
			.build("t");
		TieredCache cache = (TieredCache) TieredCacheManager.builder()
			.l2Store(new RedisL2Store(connectionFactory))
			.codec(TwoLevelTieredCacheContractTests.codec())
			.ticker(ticker)
			.clock(clock)
			.cache("users", spec)
			.build()
			.getCache("users");
		cache.getAll(List.of(1L, 2L), database(), LoadOptions.DEFAULT);
		ticker.advance(java.time.Duration.ofMinutes(11));
		clock.advance(java.time.Duration.ofMinutes(11));
		cache.put(2L, "user-2-fresh");
		this.loaderCalls.clear();
		Map<Long, String> users = cache.getAll(List.of(1L, 2L), database(), LoadOptions.DEFAULT);
		assertThat(this.loaderCalls).as("only the stale id is reloaded, never returned stale")
			.containsExactly(Set.of(1L));
		assertThat(users).containsEntry(1L, "user-1").containsEntry(2L, "user-2-fresh");
		assertThat(redis.adminBytes()
			.pttl(new io.github.optimization.cache.key.RedisKeyScheme("opt:", 1).forCache("users").redisKey(1L)))
			.as("written back with the stale window in its physical life")
			.isGreaterThan(java.time.Duration.ofMinutes(14).toMillis());
	}

}
