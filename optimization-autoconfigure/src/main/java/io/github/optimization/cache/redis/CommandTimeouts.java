package io.github.optimization.cache.redis;

import java.time.Duration;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;

/**
 * Per-command timeouts: the cache's short command timeout for everything the cache's
 * calls send, a longer one for the commands of the invalidation subscription (SUBSCRIBE
 * and its kin, and PING, which its watchdog sends to detect a dead subscription; Spring
 * Data Redis still waits at most the command timeout for the PING of the health check).
 * With the command timeout there, a stall of Redis a little longer than 50 ms made the
 * watchdog's PING fail, and the watchdog then dropped every L1 entry of the instance; and
 * a slow first SUBSCRIBE left the instance unsubscribed until the next watchdog tick.
 */
final class CommandTimeouts extends TimeoutOptions.TimeoutSource {

	private final long commandMillis;

	private final long controlMillis;

	CommandTimeouts(Duration commandTimeout, Duration controlTimeout) {
		this.commandMillis = commandTimeout.toMillis();
		this.controlMillis = Math.max(this.commandMillis, controlTimeout.toMillis());
	}

	@Override
	public long getTimeout(RedisCommand<?, ?, ?> command) {
		return isControl(command.getType()) ? this.controlMillis : this.commandMillis;
	}

	static boolean isControl(ProtocolKeyword type) {
		return type == CommandType.PING || type == CommandType.SUBSCRIBE || type == CommandType.PSUBSCRIBE
				|| type == CommandType.SSUBSCRIBE || type == CommandType.UNSUBSCRIBE || type == CommandType.PUNSUBSCRIBE
				|| type == CommandType.SUNSUBSCRIBE;
	}

}
