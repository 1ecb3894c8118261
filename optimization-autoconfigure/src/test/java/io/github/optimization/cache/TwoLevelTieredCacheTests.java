package io.github.optimization.cache;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.optimization.cache.codec.RejectReason;
import io.github.optimization.cache.key.RedisKeyScheme;
import io.github.optimization.cache.redis.RedisL2Store;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the shared level adds: entries shared between instances, L1 filled from L2 for at
 * most the remaining L2 life, SCAN-based clearing, bad bytes as misses, Redis failures
 * kept from the caller.
 */
class TwoLevelTieredCacheTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final FakeTicker ticker = new FakeTicker();

	@BeforeEach
	void flush() {
		redis.flushAll();
		redis.resetCommandStats();
	}

	private TieredCacheManager.Builder manager() {
		return TwoLevelTieredCacheContractTests.managerBuilder(redis).ticker(this.ticker).executor(Runnable::run);
	}

	private static byte[] redisKey(String cache, Object key) {
		return new RedisKeyScheme("opt:", 1).forCache(cache).redisKey(key);
	}

	@Test
	void anotherInstanceReadsFromL2AndFillsItsL1() {
		TieredCache writer = (TieredCache) manager().build().getCache("users");
		TieredCache reader = (TieredCache) manager().build().getCache("users");
		writer.put(42L, new User(42, "Ada"));
		assertThat(reader.get(42L)).extracting(ValueWrapper::get).isEqualTo(new User(42, "Ada"));
		assertThat(reader.getStatistics().l2Hits()).isEqualTo(1);
		assertThat(reader.get(42L)).extracting(ValueWrapper::get).isEqualTo(new User(42, "Ada"));
		assertThat(reader.getStatistics().l1Hits()).isEqualTo(1);
		assertThat(redis.commandCount("get")).as("the second read did not touch Redis").isEqualTo(1);
	}

	@Test
	void loaderResultIsDecodedIntoTheDeclaredType() {
		TieredCache writer = (TieredCache) manager().build().getCache("users");
		TieredCache reader = (TieredCache) manager().build().getCache("users");
		var type = com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance()
			.constructCollectionType(java.util.List.class, User.class);
		LoadOptions options = new LoadOptions(null, type, null);
		writer.getOrLoad("all", () -> java.util.List.of(new User(1, "a")), options);
		Object read = reader.getOrLoad("all", () -> {
			throw new AssertionError("must come from L2");
		}, options);
		assertThat(read).isEqualTo(java.util.List.of(new User(1, "a")));
	}

	@Test
	void l1LifeIsCappedByTheRemainingL2Life() {
		Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
		CacheSpec spec = CacheSpec.builder().ttl(Duration.ofSeconds(10)).ttlJitter(0).build("t");
		TieredCache writer = (TieredCache) manager().clock(Clock.fixed(t0, ZoneOffset.UTC))
			.cache("c", spec)
			.build()
			.getCache("c");
		TieredCache reader = (TieredCache) manager().clock(Clock.fixed(t0.plusSeconds(4), ZoneOffset.UTC))
			.cache("c", spec)
			.build()
			.getCache("c");
		writer.put("k", "v");
		assertThat(reader.get("k")).isNotNull();
		this.ticker.advance(Duration.ofSeconds(6).minusMillis(1));
		assertThat(reader.get("k")).isNotNull();
		assertThat(reader.getStatistics().l2Hits()).isEqualTo(1);
		this.ticker.advance(Duration.ofMillis(1));
		assertThat(reader.get("k")).as("L1 expired with the L2 entry's remaining 6s; Redis still has it").isNotNull();
		assertThat(reader.getStatistics().l2Hits()).isEqualTo(2);
	}

	@Test
	void l1LifetimeCapBoundsStalenessAcrossInstances() {
		CacheSpec spec = CacheSpec.builder().ttl(Duration.ofHours(1)).l1Ttl(Duration.ofMinutes(2)).build("t");
		TieredCache a = (TieredCache) manager().cache("c", spec).build().getCache("c");
		TieredCache b = (TieredCache) manager().cache("c", spec).build().getCache("c");
		a.put("k", "old");
		assertThat(b.get("k")).extracting(ValueWrapper::get).isEqualTo("old");
		a.put("k", "new");
		assertThat(b.get("k")).extracting(ValueWrapper::get).isEqualTo("old");
		this.ticker.advance(Duration.ofMinutes(2));
		assertThat(b.get("k")).extracting(ValueWrapper::get).isEqualTo("new");
	}

	@Test
	void redisTtlIsSetFromTheCacheTtl() {
		TieredCache cache = (TieredCache) manager()
			.cache("c", CacheSpec.builder().ttl(Duration.ofMinutes(10)).ttlJitter(0).build("t"))
			.build()
			.getCache("c");
		cache.put("k", "v");
		long pttl = redis.adminBytes().pttl(redisKey("c", "k"));
		assertThat(pttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
	}

	@Test
	void clearUsesScanNeverKeysAndStaysInsideItsCache() {
		TieredCacheManager manager = manager().build();
		TieredCache star = (TieredCache) manager.getCache("*");
		TieredCache users = (TieredCache) manager.getCache("users");
		TieredCache similar = (TieredCache) manager.getCache("u?ers");
		for (int i = 0; i < 1200; i++) {
			star.put("k" + i, i);
		}
		users.put("k1", 1);
		similar.put("k1", 1);
		star.clear();
		assertThat(redis.commandCount("keys")).isZero();
		assertThat(redis.commandCount("scan")).as("bounded batches").isGreaterThan(1);
		assertThat(redis.admin().dbsize()).as("only the other caches' keys remain").isEqualTo(2);
		assertThat(star.get("k1")).isNull();
		assertThat(users.get("k1")).isNotNull();
		assertThat(similar.get("k1")).isNotNull();
	}

	@Test
	void evictMatchingRemovesOnlyMatchingKeysOfItsOwnCache() {
		TieredCacheManager manager = manager().build();
		TieredCache sessions = (TieredCache) manager.getCache("sessions");
		TieredCache other = (TieredCache) manager.getCache("other");
		sessions.put("user:42:a", 1);
		sessions.put("user:42:b", 2);
		sessions.put("user:421:a", 3);
		other.put("user:42:a", 4);
		TieredCache peer = (TieredCache) manager().build().getCache("sessions");
		assertThat(peer.get("user:42:a")).isNotNull();
		assertThat(sessions.evictMatching("user:42:*")).isEqualTo(2);
		assertThat(sessions.get("user:42:a")).isNull();
		assertThat(sessions.get("user:42:b")).isNull();
		assertThat(sessions.get("user:421:a")).isNotNull();
		assertThat(other.get("user:42:a")).isNotNull();
		assertThat(redis.commandCount("keys")).isZero();
	}

	@Test
	void jdkSerializedBytesAreAMissCountedAndReplacedByTheNextLoad() throws Exception {
		TieredCache cache = (TieredCache) manager().build().getCache("users");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(new ArrayList<>(java.util.List.of("gadget")));
		}
		redis.adminBytes().set(redisKey("users", "k"), bytes.toByteArray());
		assertThat(cache.get("k")).isNull();
		assertThat(cache.getStatistics().rejects(RejectReason.FOREIGN)).isEqualTo(1);
		String loaded = cache.get("k", () -> "fresh");
		assertThat(loaded).isEqualTo("fresh");
		byte[] replaced = redis.adminBytes().get(redisKey("users", "k"));
		assertThat(replaced).isNotEqualTo(bytes.toByteArray());
		TieredCache peer = (TieredCache) manager().build().getCache("users");
		assertThat(peer.get("k")).extracting(ValueWrapper::get).isEqualTo("fresh");
	}

	@Test
	void garbageAndForeignJsonAreMisses() {
		TieredCache cache = (TieredCache) manager().build().getCache("users");
		redis.adminBytes().set(redisKey("users", "garbage"), new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 });
		redis.adminBytes()
			.set(redisKey("users", "json"),
					"{\"@class\":\"java.net.URL\",\"val\":\"http://x\"}".getBytes(StandardCharsets.UTF_8));
		assertThat(cache.get("garbage")).isNull();
		assertThat(cache.get("json")).isNull();
		long rejected = 0;
		for (RejectReason reason : RejectReason.values()) {
			rejected += cache.getStatistics().rejects(reason);
		}
		assertThat(rejected).isEqualTo(2);
	}

	@Test
	void redisDownNeverReachesTheCaller() {
		RedisServerExtension doomed = new RedisServerExtension();
		doomed.start();
		// Outage tuning is the subject of its own tests; here a short timeout and
		// rejecting
		// commands while disconnected keep this test fast.
		LettuceConnectionFactory factory = doomed
			.newConnectionFactory((client) -> client.commandTimeout(Duration.ofMillis(200))
				.clientOptions(io.lettuce.core.ClientOptions.builder()
					.disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
					.build()));
		try {
			TieredCache cache = (TieredCache) TieredCacheManager.builder()
				.l2Store(new RedisL2Store(factory))
				.codec(TwoLevelTieredCacheContractTests.codec())
				.build()
				.getCache("users");
			cache.put("k", "v");
			doomed.kill();
			AtomicInteger loads = new AtomicInteger();
			assertThat(cache.get("k")).extracting(ValueWrapper::get).as("L1 still serves").isEqualTo("v");
			String loaded = cache.get("cold", () -> "from loader " + loads.incrementAndGet());
			assertThat(loaded).isEqualTo("from loader 1");
			cache.put("k2", "v2");
			cache.evict("k");
			cache.clear();
			assertThat(cache.get("k2")).isNull();
			assertThat(cache.getStatistics().l2Errors()).isPositive();
		}
		finally {
			factory.destroy();
			doomed.close();
		}
	}

	/** A cached value type. */
	public record User(long id, String name) {
	}

}
