package io.github.optimization.cache.coherence;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.test.redis.RedisServerExtension;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.StringUtils;

import static io.github.optimization.cache.coherence.TwoInstances.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * S17 / S19: a Redis that requires a password. With the password, and with a
 * least-privilege ACL user, both levels and the invalidations work; the ACL user never
 * needs {@code KEYS}, {@code FLUSHDB}, {@code CONFIG} or {@code DEBUG}, and a refused
 * {@code INFO} only turns the {@code run_id} check off. A wrong password degrades to the
 * in-process level and the loader, and the password never appears in the output, even at
 * DEBUG.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisAuthTests {

	private static final String PASSWORD = "s3cret";

	private static final String APP_PASSWORD = "app-Pa55-7qz";

	private static final String WRONG_PASSWORD = "wr0ng-Pa55-9xk";

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension().withArgs("--requirepass", PASSWORD)
		.withPassword(PASSWORD);

	private static final List<String> DEBUG_LOGGERS = List.of("io.lettuce", "io.github.optimization",
			"org.springframework.data.redis", "io.github.resilience4j");

	private final Map<String, Level> levels = new java.util.HashMap<>();

	@BeforeEach
	void emptyRedis() {
		redis.flushAll();
		redis.admin().aclLogReset();
	}

	@AfterEach
	void restoreLogLevels() {
		this.levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
		this.levels.clear();
	}

	private ApplicationContextRunner runner() {
		return TwoInstances.runner(redis);
	}

	@Test
	void withThePasswordBothLevelsAndInvalidationsWork() {
		TwoInstances.run(runner().withPropertyValues("spring.data.redis.password=" + PASSWORD), (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			exerciseBothLevelsAndInvalidations(a, b);
		});
	}

	@Test
	void aLeastPrivilegeAclUserIsEnough(CapturedOutput output) {
		acl("SETUSER", "app", "reset", "on", ">" + APP_PASSWORD, "~opt:*", "&opt:*", "-@all", "+get", "+set", "+del",
				"+unlink", "+scan", "+publish", "+subscribe", "+ping", "+hello", "+client|setname", "+auth");
		ApplicationContextRunner asApp = runner().withPropertyValues("spring.data.redis.username=app",
				"spring.data.redis.password=" + APP_PASSWORD);
		TwoInstances.run(asApp, (a, b) -> {
			TwoInstances.awaitSubscribed(redis, a, b);
			exerciseBothLevelsAndInvalidations(a, b);
			eventually().until(() -> occurrences(output.getOut(), "run_id cannot be read") == 2);
		});
		Set<String> refused = redis.admin()
			.aclLog()
			.stream()
			.filter((entry) -> "app".equals(entry.get("username")))
			.map((entry) -> String.valueOf(entry.get("object")).toLowerCase())
			.collect(Collectors.toSet());
		assertThat(refused).as("commands refused to the cache's user").isSubsetOf("info", "client|setinfo");
		assertThat(refused).contains("info");
		assertThat(occurrences(output.getOut(), "run_id cannot be read")).as("one line per instance").isEqualTo(2);
		assertThat(output.getOut()).doesNotContain(APP_PASSWORD);
	}

	@Test
	void aWrongPasswordDegradesToTheLoaderAndIsNeverLogged(CapturedOutput output) {
		DEBUG_LOGGERS.forEach((name) -> {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			this.levels.put(name, logger.getLevel());
			logger.setLevel(Level.DEBUG);
		});
		ApplicationContextRunner wrong = runner().withPropertyValues("spring.data.redis.password=" + WRONG_PASSWORD);
		ApplicationContextRunner wrongUrl = runner().withPropertyValues(
				"spring.data.redis.url=redis://:" + WRONG_PASSWORD + "@" + redis.host() + ":" + redis.port());
		for (ApplicationContextRunner runner : List.of(wrong, wrongUrl)) {
			runner.run((context) -> {
				assertThat(context).hasNotFailed();
				Instance instance = new Instance("wrong password", context);
				TieredCache users = instance.cache("users");
				AtomicInteger loads = new AtomicInteger();
				for (int i = 0; i < 30; i++) {
					assertThat(users.get("k" + (i % 3), () -> "loaded-" + loads.incrementAndGet()))
						.startsWith("loaded-");
				}
				assertThat(loads.get()).as("each key loaded once, then served from L1").isEqualTo(3);
				users.put("p", "v");
				users.evict("k0");
				users.clear();
				assertThat(users.get("p")).isNull();
				assertThat(instance.bus().isSubscribed()).isFalse();
				assertThat(users.getStatistics().toString()).isNotNull();
			});
		}
		assertThat(redis.admin().dbsize()).as("nothing reached Redis").isZero();
		String all = output.getAll();
		assertThat(all).as("the output at DEBUG").isNotEmpty().doesNotContain(WRONG_PASSWORD);
		assertThat(all).contains("WRONGPASS");
		assertThat(occurrences(output.getOut(), "Cache invalidation channel not subscribed"))
			.as("logged once per context, not per retry")
			.isEqualTo(2);
	}

	/** Puts, reads, evicts and clears across A and B, checking Redis and both L1s. */
	private static void exerciseBothLevelsAndInvalidations(Instance a, Instance b) {
		BasicCoherenceTests.bothHold(a, b, "users", "k", "v1");
		assertThat(redis.admin().dbsize()).as("the value is in Redis").isEqualTo(1);
		BasicCoherenceTests.bothHold(b, a, "users", "k", "v2");
		b.cache("users").evict("k");
		eventually().until(() -> a.l1("users", "k") == Instance.ABSENT);
		BasicCoherenceTests.bothHold(a, b, "users", "k2", "x");
		a.cache("users").clear();
		eventually().until(() -> b.cache("users").estimatedL1Size() == 0);
		assertThat(redis.admin().dbsize()).as("cleared in Redis with SCAN and UNLINK").isZero();
	}

	private static void acl(String... args) {
		CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8);
		for (String arg : args) {
			commandArgs.add(arg);
		}
		assertThat(redis.admin().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), commandArgs))
			.isEqualTo("OK");
	}

	private static int occurrences(String text, String fragment) {
		return StringUtils.countOccurrencesOf(text, fragment);
	}

}
