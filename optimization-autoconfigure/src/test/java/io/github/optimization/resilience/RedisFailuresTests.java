package io.github.optimization.resilience;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.CharacterCodingException;
import java.util.zip.ZipException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.github.optimization.cache.codec.CodecException;
import io.github.optimization.cache.codec.RejectReason;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.serializer.SerializationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S22: only "Redis is unreachable or slow" counts against the breaker. Server errors and
 * codec problems, which a crafted key or value can cause at will, must not, or bad input
 * could open the breaker for every user.
 */
class RedisFailuresTests {

	@Test
	void connectionFailuresCount() {
		assertThat(RedisFailures.isUnavailable(new RedisConnectionFailureException("Unable to connect to Redis",
				new RedisConnectionException("Unable to connect to 127.0.0.1:6390", new ConnectException("refused")))))
			.isTrue();
		assertThat(RedisFailures.isUnavailable(new RedisSystemException("rejected",
				new RedisException("Currently not connected. Commands are rejected."))))
			.isTrue();
		assertThat(RedisFailures.isUnavailable(new RedisException("Connection closed"))).isTrue();
		assertThat(RedisFailures
			.isUnavailable(new RedisSystemException("reset", new IOException("Connection reset by peer")))).isTrue();
		assertThat(RedisFailures.isUnavailable(new ConnectException("Connection refused"))).isTrue();
	}

	@Test
	void timeoutsCount() {
		assertThat(RedisFailures.isUnavailable(new QueryTimeoutException("Redis command timed out"))).isTrue();
		assertThat(RedisFailures.isUnavailable(new QueryTimeoutException("Redis command timed out",
				new RedisCommandTimeoutException("Command timed out after 50 millisecond(s)"))))
			.isTrue();
		assertThat(RedisFailures.isTimeout(new QueryTimeoutException("Redis command timed out"))).isTrue();
		assertThat(RedisFailures.isTimeout(new RedisConnectionFailureException("refused"))).isFalse();
	}

	@Test
	void serverErrorsDoNotCount() {
		assertThat(
				RedisFailures.isUnavailable(
						new RedisSystemException("Error in execution",
								new RedisCommandExecutionException(
										"WRONGTYPE Operation against a key holding the wrong kind of value"))))
			.isFalse();
		assertThat(RedisFailures.isUnavailable(new RedisCommandExecutionException("NOPERM no permissions"))).isFalse();
		assertThat(RedisFailures.isUnavailable(new IllegalArgumentException("key too long"))).isFalse();
	}

	@Test
	void codecProblemsDoNotCountEvenWhenTheyAreIOExceptions() {
		// Jackson's exceptions are IOExceptions; so are charset and zip errors.
		JsonParseException parse = new JsonParseException(null, "Unexpected character ('<' (code 60))");
		assertThat(RedisFailures.isUnavailable(new CodecException(RejectReason.CORRUPT, "bad bytes"))).isFalse();
		assertThat(RedisFailures.isUnavailable(new CodecException(RejectReason.CORRUPT, "bad bytes", parse))).isFalse();
		assertThat(RedisFailures.isUnavailable(new SerializationException("Could not read JSON", parse))).isFalse();
		assertThat(RedisFailures.isUnavailable(new RedisSystemException("decode",
				JsonMappingException.from((com.fasterxml.jackson.core.JsonParser) null, "Cannot construct instance"))))
			.isFalse();
		assertThat(RedisFailures.isUnavailable(new RedisException("decode", new CharacterCodingException()))).isFalse();
		assertThat(RedisFailures.isUnavailable(new RedisException("decode", new ZipException("invalid block type"))))
			.isFalse();
	}

}
