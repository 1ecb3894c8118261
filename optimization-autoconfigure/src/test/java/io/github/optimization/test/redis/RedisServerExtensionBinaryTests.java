package io.github.optimization.test.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How the harness finds {@code redis-server}, and that it fails (never skips) with a
 * useful message when it cannot find or start it.
 */
class RedisServerExtensionBinaryTests {

	@TempDir
	Path temp;

	@Test
	void withoutRedisOnThePathTheErrorSaysHowToInstallIt() throws IOException {
		Path emptyDirectory = Files.createDirectory(temp.resolve("bin"));

		assertThatIllegalStateException()
			.isThrownBy(() -> RedisServerBinary.resolve(null, null, Map.of("PATH", emptyDirectory.toString())))
			.withMessage("redis-server was not found on PATH; install it (Debian/Ubuntu: apt-get install "
					+ "redis-server, macOS: brew install redis) — the Redis tests need a real server they "
					+ "can kill and freeze");
	}

	@Test
	void thePathIsSearchedInOrder() throws IOException {
		Path first = fakeBinary("first", "redis-server");
		Path second = fakeBinary("second", "redis-server");
		String path = first.getParent() + ":" + temp.resolve("missing") + ":" + second.getParent();

		assertThat(RedisServerBinary.resolve(null, null, Map.of("PATH", path))).isEqualTo(first);
	}

	@Test
	void anExplicitBinaryWinsOverThePropertyWhichWinsOverTheEnvironment() throws IOException {
		Path explicit = fakeBinary("explicit", "redis-server");
		Path property = fakeBinary("property", "redis-server");
		Path environment = fakeBinary("environment", "redis-server");
		Map<String, String> env = Map.of("PATH", "", RedisServerBinary.BINARY_ENV, environment.toString());

		assertThat(RedisServerBinary.resolve(explicit.toString(), property.toString(), env)).isEqualTo(explicit);
		assertThat(RedisServerBinary.resolve(null, property.toString(), env)).isEqualTo(property);
		assertThat(RedisServerBinary.resolve(null, null, env)).isEqualTo(environment);
	}

	@Test
	void aBareNameIsLookedUpOnThePath() throws IOException {
		Path binary = fakeBinary("bin", "redis-server-7");

		assertThat(RedisServerBinary.resolve("redis-server-7", null, Map.of("PATH", binary.getParent().toString())))
			.isEqualTo(binary);
	}

	@Test
	void aMissingConfiguredBinaryFailsTheStartWithTheInstallHint() {
		String missing = temp.resolve("no-such-redis-server").toString();
		RedisServerExtension redis = new RedisServerExtension().withServerBinary(missing);

		assertThatIllegalStateException().isThrownBy(redis::start)
			.withMessageContaining(missing)
			.withMessageContaining("apt-get install redis-server")
			.withMessageContaining("brew install redis");
		assertThat(redis.isRunning()).isFalse();
	}

	@Test
	void aServerThatCannotStartFailsWithItsOwnOutput() {
		try (RedisServerExtension redis = new RedisServerExtension().withArgs("--no-such-directive", "1")) {
			assertThatIllegalStateException().isThrownBy(redis::start)
				.withMessageContaining("redis-server exited during start-up")
				.withMessageContaining("--- redis-server output ---")
				.withMessageContaining("no-such-directive");
			assertThat(redis.isRunning()).isFalse();
		}
	}

	private Path fakeBinary(String directory, String name) throws IOException {
		Path binary = Files.createDirectories(temp.resolve(directory)).resolve(name);
		Files.writeString(binary, "#!/bin/sh\nexit 1\n");
		assertThat(binary.toFile().setExecutable(true)).isTrue();
		return binary;
	}

}
