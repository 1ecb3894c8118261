package io.github.optimization.test.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The harness against a real {@code redis-server}: start, kill, restart, freeze, resume,
 * the admin connections, command statistics, passwords, and that no server outlives a
 * SIGKILLed JVM.
 */
class RedisServerExtensionTests {

	private static final Duration SHORT = Duration.ofSeconds(1);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final byte[] KEY = bytes("harness:key");

	@Test
	void startsAPrivateServerThatAnswersPingAndServesAConnectionFactory() throws IOException {
		assertThat(redis.isRunning()).isTrue();
		assertThat(redis.host()).isEqualTo("127.0.0.1");
		assertThat(redis.port()).isPositive().isNotEqualTo(6379);
		assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
		assertThat(ping(redis.port())).isEqualTo("PONG");
		assertThat(redis.admin().configGet("save")).containsEntry("save", "");
		assertThat(redis.admin().configGet("appendonly")).containsEntry("appendonly", "no");
		assertThat(redis.admin().configGet("bind")).containsEntry("bind", "127.0.0.1");
		assertThat(Path.of(redis.admin().configGet("dir").get("dir")).getFileName().toString())
			.startsWith("redis-harness-");

		LettuceConnectionFactory factory = redis.newConnectionFactory();
		try (RedisConnection connection = factory.getConnection()) {
			connection.stringCommands().set(KEY, bytes("value"));
			assertThat(connection.stringCommands().get(KEY)).isEqualTo(bytes("value"));
			assertThat(redis.admin().get("harness:key")).isEqualTo("value");
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void killRefusesConnectionsAndRestartBringsAnEmptyServerOnTheSamePort() throws IOException {
		int port = redis.port();
		String runId = redis.runId();
		redis.admin().set("survives", "no");

		redis.kill();

		assertThat(redis.isRunning()).isFalse();
		assertThatThrownBy(() -> ping(port)).isInstanceOf(ConnectException.class);
		assertThatThrownBy(() -> redis.admin().ping()).isInstanceOf(RedisConnectionException.class);

		redis.restart();

		assertThat(redis.isRunning()).isTrue();
		assertThat(redis.port()).isEqualTo(port);
		assertThat(ping(port)).isEqualTo("PONG");
		assertThat(redis.runId()).isNotEqualTo(runId);
		assertThat(redis.admin().dbsize()).isZero();
		assertThat(redis.admin().get("survives")).isNull();
	}

	@Test
	void restartOfARunningServerReplacesIt() {
		String runId = redis.runId();
		long pid = redis.pid();

		redis.restart();

		assertThat(redis.runId()).isNotEqualTo(runId);
		assertThat(redis.pid()).isNotEqualTo(pid);
		assertThat(ProcessSignals.isAlive(pid)).isFalse();
	}

	@Test
	void freezeMakesCommandsTimeOutAndResumeMakesThemWorkAgain() {
		LettuceConnectionFactory factory = redis
			.newConnectionFactory(builder -> builder.commandTimeout(Duration.ofMillis(200)));
		try (RedisConnection connection = factory.getConnection()) {
			assertThat(connection.ping()).isEqualTo("PONG");
			assertThat(redis.admin().ping()).isEqualTo("PONG");

			redis.freeze();
			try {
				assertThat(redis.isRunning()).isTrue();
				long started = System.nanoTime();
				assertThatThrownBy(connection::ping).isInstanceOf(QueryTimeoutException.class);
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
				// the admin connection is bounded too: it fails instead of hanging the
				// test
				assertThatThrownBy(() -> redis.admin().ping()).isInstanceOf(RedisCommandTimeoutException.class);
			}
			finally {
				redis.resume();
			}

			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(connection.ping()).isEqualTo("PONG"));
			assertThat(redis.admin().ping()).isEqualTo("PONG");
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void flushAllEmptiesEveryDatabase() throws IOException {
		redis.admin().set("db0", "x");
		try (RespProbe db1 = RespProbe.open(redis.host(), redis.port(), SHORT)) {
			assertThat(db1.command("SELECT", "1")).isEqualTo("OK");
			assertThat(db1.command("SET", "db1", "y")).isEqualTo("OK");

			redis.flushAll();

			assertThat(db1.command("DBSIZE")).isEqualTo("0");
		}
		assertThat(redis.admin().dbsize()).isZero();
	}

	@Test
	void adminBytesPlantsRawBytesThatClientsReadBackUnchanged() {
		byte[] crafted = { 0, (byte) 0xFF, (byte) 0xC3, 0x28, '\r', '\n', 0x7F };
		redis.adminBytes().set(KEY, crafted);

		LettuceConnectionFactory factory = redis.newConnectionFactory();
		try (RedisConnection connection = factory.getConnection()) {
			assertThat(connection.stringCommands().get(KEY)).isEqualTo(crafted);
		}
		finally {
			factory.destroy();
		}
		assertThat(redis.adminBytes().get(KEY)).isEqualTo(crafted);
	}

	@Test
	void commandCountReportsWhatTheServerExecuted() {
		redis.resetCommandStats();
		LettuceConnectionFactory factory = redis.newConnectionFactory();
		try (RedisConnection connection = factory.getConnection()) {
			for (int i = 0; i < 3; i++) {
				connection.stringCommands().get(KEY);
			}
			assertThat(redis.commandCount("get")).isEqualTo(3);
			assertThat(redis.commandCount("GET")).isEqualTo(3);
			assertThat(redis.commandCount("keys")).isZero();

			connection.keyCommands().keys(bytes("*"));

			assertThat(redis.commandCount("keys")).isEqualTo(1);
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void theSharedConnectionFactoryIsOneForTheServerAndIsDestroyedWithIt() {
		LettuceConnectionFactory shared;
		try (RedisServerExtension server = new RedisServerExtension()) {
			server.start();
			shared = server.connectionFactory();
			assertThat(server.connectionFactory()).isSameAs(shared);
			try (RedisConnection connection = shared.getConnection()) {
				connection.stringCommands().set(KEY, bytes("v"));
				assertThat(server.admin().get("harness:key")).isEqualTo("v");
			}
			assertThat(shared.isRunning()).isTrue();
		}
		assertThat(shared.isRunning()).as("destroyed by close()").isFalse();
	}

	@Test
	void requirePassMakesTheServerDemandAuthenticationAndAdminAuthenticates() throws IOException {
		try (RedisServerExtension secured = new RedisServerExtension().withArgs("--requirepass", "s3cret")
			.withPassword("s3cret")) {
			secured.start();

			try (RespProbe anonymous = RespProbe.open(secured.host(), secured.port(), SHORT)) {
				assertThat(anonymous.command("PING")).startsWith("-NOAUTH");
				assertThat(anonymous.command("GET", "k")).startsWith("-NOAUTH");
				assertThat(anonymous.command("AUTH", "wrong")).startsWith("-WRONGPASS");
				assertThat(anonymous.command("AUTH", "s3cret")).isEqualTo("OK");
			}
			assertThat(secured.admin().ping()).isEqualTo("PONG");
			assertThat(secured.uri()).isEqualTo("redis://:s3cret@127.0.0.1:" + secured.port());
			LettuceConnectionFactory factory = secured.newConnectionFactory();
			try (RedisConnection connection = factory.getConnection()) {
				connection.stringCommands().set(KEY, bytes("v"));
				assertThat(secured.admin().get("harness:key")).isEqualTo("v");
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void theServerDiesWithAJvmKilledBySigkillEvenWhenFrozen() throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
				RedisServerChildJvm.class.getName())
			.redirectErrorStream(true)
			.start();
		try {
			List<String> output = collectLines(child);
			await("child JVM started a server").atMost(Duration.ofSeconds(20))
				.until(() -> find(output, "READY").isPresent() || !child.isAlive());
			String[] ready = find(output, "READY").orElseThrow(() -> new AssertionError("child JVM failed: " + output))
				.split(" ");
			int port = Integer.parseInt(ready[1]);
			long pid = Long.parseLong(ready[2]);
			assertThat(ping(port)).isEqualTo("PONG");
			assertThat(ProcessSignals.isAlive(pid)).isTrue();

			OutputStream childInput = child.getOutputStream();
			childInput.write("freeze\n".getBytes(StandardCharsets.UTF_8));
			childInput.flush();
			await("server frozen").atMost(Duration.ofSeconds(10)).until(() -> find(output, "FROZEN").isPresent());

			child.destroyForcibly(); // SIGKILL: no shutdown hook, no afterAll
			assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
			assertThat(child.exitValue()).isEqualTo(128 + 9);

			await("orphaned server killed").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThatThrownBy(() -> ping(port)).isInstanceOf(ConnectException.class);
				assertThat(ProcessSignals.isAlive(pid)).isFalse();
			});
		}
		finally {
			child.destroyForcibly();
		}
	}

	@Nested
	class NestedClasses {

		@Test
		void shareTheServerOfTheEnclosingClass() throws IOException {
			assertThat(redis.isRunning()).isTrue();
			assertThat(ping(redis.port())).isEqualTo("PONG");
		}

	}

	/** Runs after the nested class, before the extension's own afterAll. */
	@AfterAll
	static void theServerOutlivesTheNestedClass() {
		assertThat(redis.isRunning()).isTrue();
	}

	private static String ping(int port) throws IOException {
		try (RespProbe probe = RespProbe.open("127.0.0.1", port, SHORT)) {
			return probe.command("PING");
		}
	}

	private static List<String> collectLines(Process process) {
		List<String> lines = new CopyOnWriteArrayList<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					lines.add(line);
				}
			}
			catch (IOException ex) {
				lines.add("(output unreadable: " + ex + ")");
			}
		}, "child-jvm-output");
		reader.setDaemon(true);
		reader.start();
		return lines;
	}

	private static Optional<String> find(List<String> lines, String prefix) {
		return lines.stream().filter(line -> line.startsWith(prefix)).findFirst();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
