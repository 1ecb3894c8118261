package io.github.optimization.resilience;

import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.charset.CharacterCodingException;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipException;

import com.fasterxml.jackson.core.JacksonException;
import io.github.optimization.cache.codec.CodecException;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * Sorts what a Redis call threw into "Redis is unreachable or slow" (connection failures,
 * timeouts, commands rejected while disconnected), which counts against the circuit
 * breaker, and everything else (server errors caused by a bad key or value, codec
 * errors), which must not: otherwise crafted input could open the breaker for every user.
 * An {@link IOException} counts as a network failure unless it is one of the data-format
 * ones (Jackson's, charset and compression errors).
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
			if (isDataProblem(t)) {
				// Bytes that cannot be encoded or decoded; some of these are
				// IOExceptions.
				return false;
			}
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

	private static boolean isDataProblem(Throwable t) {
		return t instanceof CodecException || t instanceof SerializationException || t instanceof JacksonException
				|| t instanceof CharacterCodingException || t instanceof ZipException
				|| t instanceof UTFDataFormatException;
	}

	private static boolean isDisconnectMessage(String message) {
		if (message == null) {
			return false;
		}
		String m = message.toLowerCase(java.util.Locale.ROOT);
		return m.contains("not connected") || m.contains("connection closed") || m.contains("connection is closed")
				|| m.contains("connection reset") || m.contains("commands are rejected")
				|| m.contains("connection disconnected") || m.contains("request queue size exceeded");
	}

}
