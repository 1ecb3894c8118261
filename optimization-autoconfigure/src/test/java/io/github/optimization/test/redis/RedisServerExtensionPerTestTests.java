package io.github.optimization.test.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registered on an instance field, the harness gives each test its own fresh server and
 * stops it after the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisServerExtensionPerTestTests {

	private static final List<RedisServerExtension> used = new CopyOnWriteArrayList<>();

	private static final List<String> runIds = new CopyOnWriteArrayList<>();

	@RegisterExtension
	final RedisServerExtension redis = new RedisServerExtension();

	@Test
	@Order(1)
	void theFirstTestGetsARunningServer() {
		assertThat(redis.isRunning()).isTrue();
		redis.admin().set("left-behind", "by the first test");
		record();
	}

	@Test
	@Order(2)
	void theNextTestGetsAnotherEmptyServer() {
		assertThat(redis.isRunning()).isTrue();
		assertThat(redis.admin().get("left-behind")).isNull();
		assertThat(runIds).doesNotContain(redis.runId());
		record();
	}

	@AfterAll
	static void everyServerWasStoppedAfterItsTest() {
		assertThat(used).hasSize(2).noneMatch(RedisServerExtension::isRunning);
	}

	private void record() {
		used.add(redis);
		runIds.add(redis.runId());
	}

}
