package io.github.optimization.test.redis;

/**
 * Reads fields out of the text of the {@code INFO} command ({@code name:value} lines).
 */
final class RedisInfo {

	private RedisInfo() {
	}

	/**
	 * The value of the field {@code name}, or {@code null} if the text has no such line.
	 */
	static String field(String info, String name) {
		String prefix = name + ":";
		for (String line : info.split("\r?\n")) {
			if (line.startsWith(prefix)) {
				return line.substring(prefix.length()).trim();
			}
		}
		return null;
	}

	/**
	 * The {@code calls} count of {@code command} (lower case) in
	 * {@code INFO commandstats} text ({@code cmdstat_get:calls=3,usec=...}), or 0 if the
	 * command never ran.
	 */
	static long commandCalls(String commandStats, String command) {
		String stats = field(commandStats, "cmdstat_" + command);
		if (stats == null) {
			return 0;
		}
		for (String pair : stats.split(",")) {
			if (pair.startsWith("calls=")) {
				return Long.parseLong(pair.substring("calls=".length()));
			}
		}
		throw new IllegalStateException("no calls= in cmdstat_" + command + ":" + stats);
	}

}
