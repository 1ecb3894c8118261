package io.github.optimization.cache.fault;

import java.time.Duration;

import io.github.optimization.cache.FlushReason;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.cache.fault.FaultFixture.Database;
import io.github.optimization.cache.redis.InvalidationBusState;
import io.github.optimization.test.redis.RedisServerExtension;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.optimization.cache.fault.FaultFixture.cache;
import static io.github.optimization.cache.fault.FaultFixture.manager;
import static io.github.optimization.cache.fault.FaultFixture.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A short stall of Redis (busy for longer than the cache's command timeout but well
 * within the invalidation PING's pong timeout) must not be taken for a dead subscription:
 * that would drop every L1 entry of the instance.
 */
@Tag("fault")
class RedisStallFaultTests {

	@RegisterExtension
	final RedisServerExtension redis = new RedisServerExtension().withArgs("--enable-debug-command", "yes");

	@Test
	void aStallShorterThanThePongTimeoutDoesNotFlushL1() {
		FaultFixture.runner(this.redis.port())
			.withPropertyValues("optimization.cache.redis.command-timeout=50ms",
					"optimization.cache.invalidation.ping-interval=50ms",
					"optimization.cache.invalidation.pong-timeout=1s")
			.run((context) -> {
				TieredCacheManager manager = manager(context);
				TieredCache cache = cache(context, "items");
				Database db = new Database();
				await().atMost(Duration.ofSeconds(10)).until(context.getBean(InvalidationBusState.class)::isSubscribed);
				cache.get("k", () -> db.load("k"));
				long flushesBefore = manager.flushCount(FlushReason.WATCHDOG);
				// Busy for 300 ms: the watchdog's PINGs (every 50 ms) wait for it.
				for (int i = 0; i < 3; i++) {
					this.redis.admin()
						.dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
								new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add("0.3"));
				}
				await().pollDelay(Duration.ofMillis(200))
					.atMost(Duration.ofSeconds(2))
					.until(() -> this.redis.admin().ping().equals("PONG"));
				long flushes = manager.flushCount(FlushReason.WATCHDOG) - flushesBefore;
				report("three 300 ms stalls with a 1 s pong timeout and a 50 ms command timeout: " + flushes
						+ " watchdog flushes of L1");
				assertThat(flushes).isZero();
				assertThat(cache.getFromL1("k")).as("still in L1").isNotNull();
			});
	}

}
