package io.github.optimization.cache.fault;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheStatistics;
import io.github.optimization.cache.codec.RejectReason;
import io.github.optimization.cache.fault.FaultFixture.Database;
import io.github.optimization.cache.L2Store;
import io.github.optimization.resilience.RedisFailures;
import io.github.optimization.test.redis.RedisServerExtension;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.optimization.cache.fault.FaultFixture.breaker;
import static io.github.optimization.cache.fault.FaultFixture.cache;
import static io.github.optimization.cache.fault.FaultFixture.redisKey;
import static io.github.optimization.cache.fault.FaultFixture.report;
import static io.github.optimization.cache.fault.FaultFixture.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * S22 against a real server: errors that input can provoke (a key of the wrong type,
 * bytes the codec refuses) never count against the breaker, while what the store really
 * throws when Redis is hung or gone does.
 */
@Tag("fault")
class RedisErrorsAndBadBytesFaultTests {

	private static final String CACHE = "items";

	private static final int KEYS = 60;

	@RegisterExtension
	final RedisServerExtension redis = new RedisServerExtension();

	@Test
	void wrongTypesAndUnreadableBytesNeverOpenTheBreaker() {
		FaultFixture.runner(this.redis.port()).run((context) -> {
			TieredCache cache = cache(context, CACHE);
			TieredCacheStatistics stats = cache.getStatistics();
			CircuitBreaker breaker = breaker(context);
			Database db = new Database();
			byte[] jdkSerialized = { (byte) 0xAC, (byte) 0xED, 0x00, 0x05, 0x73, 0x72 };
			for (int i = 0; i < KEYS; i++) {
				this.redis.adminBytes().hset(redisKey(CACHE, "hash-" + i), bytes("field"), bytes("value"));
				this.redis.adminBytes().set(redisKey(CACHE, "jdk-" + i), jdkSerialized);
				this.redis.adminBytes().set(redisKey(CACHE, "garbage-" + i), bytes("{\"not\": \"an envelope\""));
			}
			for (int i = 0; i < KEYS; i++) {
				for (String prefix : new String[] { "hash-", "jdk-", "garbage-" }) {
					String key = prefix + i;
					assertThat(cache.get(key, () -> db.load(key))).isEqualTo(key + "@v1");
				}
			}
			report("after " + (3 * KEYS) + " planted keys: breaker " + breaker.getState() + ", " + stats.l2Errors()
					+ " L2 errors (WRONGTYPE), " + stats.rejects(RejectReason.FOREIGN) + " foreign and "
					+ stats.rejects(RejectReason.CORRUPT) + " corrupt values refused, "
					+ breaker.getMetrics().getNumberOfFailedCalls() + " failures recorded by the breaker");
			assertThat(stats.l2Errors()).as("each WRONGTYPE read failed").isEqualTo(KEYS);
			assertThat(stats.rejects(RejectReason.FOREIGN) + stats.rejects(RejectReason.CORRUPT)).isEqualTo(2 * KEYS);
			assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
			// The loads replaced the bad entries.
			assertThat(stored(this.redis, context, CACHE, "hash-0")).isEqualTo("hash-0@v1");
			assertThat(stored(this.redis, context, CACHE, "jdk-0")).isEqualTo("jdk-0@v1");
			assertThat(stored(this.redis, context, CACHE, "garbage-0")).isEqualTo("garbage-0@v1");
		});
	}

	@Test
	void whatTheStoreThrowsForAHungOrDeadRedisCountsAndAServerErrorDoesNot() {
		FaultFixture.runner(this.redis.port()).run((context) -> {
			L2Store store = context.getBean(L2Store.class);
			byte[] key = redisKey(CACHE, "k");
			store.set(key, bytes("v"), 60_000);
			this.redis.adminBytes().hset(redisKey(CACHE, "hash"), bytes("field"), bytes("value"));

			Throwable wrongType = catchThrowable(() -> store.get(redisKey(CACHE, "hash")));
			report("WRONGTYPE: " + chain(wrongType));
			assertThat(wrongType).isNotNull();
			assertThat(RedisFailures.isUnavailable(wrongType)).isFalse();

			this.redis.freeze();
			Throwable hung;
			try {
				hung = catchThrowable(() -> store.get(key));
			}
			finally {
				this.redis.resume();
			}
			report("hung: " + chain(hung));
			assertThat(RedisFailures.isUnavailable(hung)).isTrue();
			assertThat(RedisFailures.isTimeout(hung)).isTrue();
			await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> store.get(key) != null);

			this.redis.kill();
			Throwable[] gone = new Throwable[1];
			await().atMost(Duration.ofSeconds(5)).until(() -> (gone[0] = catchThrowable(() -> store.get(key))) != null);
			report("killed: " + chain(gone[0]));
			assertThat(RedisFailures.isUnavailable(gone[0])).isTrue();
		});
	}

	private static String chain(Throwable error) {
		StringBuilder chain = new StringBuilder();
		for (Throwable t = error; t != null; t = t.getCause()) {
			chain.append((chain.length() > 0) ? " <- " : "")
				.append(t.getClass().getSimpleName())
				.append(": ")
				.append(t.getMessage());
		}
		return chain.toString();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
