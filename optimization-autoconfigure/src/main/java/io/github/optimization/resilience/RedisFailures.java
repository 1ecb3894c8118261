package io.github.optimization.resilience;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * Sorts what a Redis call threw into "Redis is unreachable or slow" (connection failures,
 * timeouts, commands rejected while disconnected), which counts against the circuit
 * breaker, and everything else (server errors caused by a bad key or value, codec errors),
 * which must not: otherwise crafted input could open the breaker for every user.
 */
public final class RedisFailures {

	private RedisFailures() {
	}

	/**
	 * Whether a failure says Redis is unreachable or slow.
	 * @param error what a call threw
	 * @return whether it should count against the breaker
	 */
	public static boolean isUnavailable(Throwable error) {
		for (Throwable t = error; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t instanceof RedisConnectionFailureException || t instanceof QueryTimeoutException
					|| t instanceof TimeoutException || t instanceof IOException
					|| t instanceof io.lettuce.core.RedisConnectionException
					|| t instanceof io.lettuce.core.RedisCommandTimeoutException) {
				return true;
			}
			if (t instanceof io.lettuce.core.RedisCommandExecutionException) {
				// The server answered with an error: it is reachable.
				return false;
			}
			if (t instanceof io.lettuce.core.RedisException && isDisconnectMessage(t.getMessage())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a failure was a timeout.
	 * @param error what a call threw
	 * @return whether it timed out
	 */
	public static boolean isTimeout(Throwable error) {
		for (Throwable t = error; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t instanceof QueryTimeoutException || t instanceof TimeoutException
					|| t instanceof io.lettuce.core.RedisCommandTimeoutException) {
				return true;
			}
		}
		return false;
	}

	private static boolean isDisconnectMessage(String message) {
		if (message == null) {
			return false;
		}
		String m = message.toLowerCase(java.util.Locale.ROOT);
		return m.contains("not connected") || m.contains("connection closed") || m.contains("connection is closed")
				|| m.contains("connection reset") || m.contains("commands are rejected");
	}

}
