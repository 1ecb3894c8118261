package io.github.optimization.test.redis;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the {@code redis-server} executable the harness starts.
 *
 * <p>
 * Contract: the first of these that is set wins: an explicit choice
 * ({@link RedisServerExtension#withServerBinary(String)}), the system property
 * {@value #BINARY_PROPERTY}, the environment variable {@value #BINARY_ENV}, then a
 * {@code redis-server} found on {@code PATH}. A binary that cannot be found is an error,
 * never a reason to skip: the message says how to install Redis.
 */
final class RedisServerBinary {

	/** System property naming the {@code redis-server} executable to use. */
	static final String BINARY_PROPERTY = "redis.server.binary";

	/** Environment variable naming the {@code redis-server} executable to use. */
	static final String BINARY_ENV = "REDIS_SERVER_BIN";

	static final String INSTALL_HINT = "install it (Debian/Ubuntu: apt-get install redis-server, "
			+ "macOS: brew install redis) — the Redis tests need a real server they can kill and freeze";

	static final String NOT_ON_PATH = "redis-server was not found on PATH; " + INSTALL_HINT;

	private RedisServerBinary() {
	}

	/**
	 * Resolves the binary from this JVM's system properties and environment.
	 * @param explicit the binary chosen in code, or {@code null}
	 * @return an executable file
	 * @throws IllegalStateException if no executable {@code redis-server} is found
	 */
	static Path resolve(String explicit) {
		return resolve(explicit, System.getProperty(BINARY_PROPERTY), System.getenv());
	}

	/**
	 * Resolves the binary from the given sources (visible for tests).
	 * @param explicit the binary chosen in code, or {@code null}
	 * @param property the value of {@value #BINARY_PROPERTY}, or {@code null}
	 * @param environment the environment, read for {@value #BINARY_ENV} and {@code PATH}
	 * @return an executable file
	 * @throws IllegalStateException if no executable {@code redis-server} is found
	 */
	static Path resolve(String explicit, String property, Map<String, String> environment) {
		String path = environment.getOrDefault("PATH", "");
		if (isSet(explicit)) {
			return locate(explicit, "chosen with withServerBinary(..)", path);
		}
		if (isSet(property)) {
			return locate(property, "from system property " + BINARY_PROPERTY, path);
		}
		String fromEnv = environment.get(BINARY_ENV);
		if (isSet(fromEnv)) {
			return locate(fromEnv, "from environment variable " + BINARY_ENV, path);
		}
		Path onPath = searchPath("redis-server", path);
		if (onPath == null) {
			throw new IllegalStateException(NOT_ON_PATH);
		}
		return onPath;
	}

	/** A value with a separator is a file; a bare name is looked up on {@code PATH}. */
	private static Path locate(String binary, String source, String path) {
		Path found;
		if (binary.contains(File.separator)) {
			Path candidate = Path.of(binary);
			found = isExecutableFile(candidate) ? candidate : null;
		}
		else {
			found = searchPath(binary, path);
		}
		if (found == null) {
			throw new IllegalStateException("redis-server binary '" + binary + "' (" + source
					+ ") was not found or is not executable; " + INSTALL_HINT);
		}
		return found;
	}

	private static Path searchPath(String name, String path) {
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory, name);
				if (isExecutableFile(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

	private static boolean isExecutableFile(Path candidate) {
		return Files.isRegularFile(candidate) && Files.isExecutable(candidate);
	}

	private static boolean isSet(String value) {
		return value != null && !value.isBlank();
	}

}
