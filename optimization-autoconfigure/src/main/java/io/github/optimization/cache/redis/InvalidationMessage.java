package io.github.optimization.cache.redis;

import java.io.IOException;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.optimization.cache.key.KeyDigest;

/**
 * One invalidation on the channel, with a fixed schema: {@code {"v":1,"src":..., "op":
 * "evict"|"drop"|"clear"|"flush", "cache":..., "key":<digest>}}. Parsed into this record
 * only (no polymorphism), after a size check; anything else is rejected.
 *
 * @param v the schema version, 1
 * @param src the id of the instance that sent it
 * @param op what changed: one key ({@code evict}), a whole cache ({@code clear}), or
 * everything, because the sender may have missed sending changes ({@code flush}); or
 * ({@code drop}) the sender deleted one key in Redis again because its own write-back of
 * it raced another instance's change: copies read from Redis meanwhile are to be dropped,
 * and nothing else is to be done (unlike {@code evict}, it never starts another such
 * deletion)
 * @param cache the cache name ({@code null} for {@code flush})
 * @param key the key digest (only for {@code evict} and {@code drop})
 */
public record InvalidationMessage(int v, String src, String op, String cache, String key) {

	static final String EVICT = "evict";

	static final String DROP = "drop";

	static final String CLEAR = "clear";

	static final String FLUSH = "flush";

	private static final Set<String> OPS = Set.of(EVICT, DROP, CLEAR, FLUSH);

	private static final int MAX_NAME = 256;

	private static final ObjectMapper MAPPER = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	static InvalidationMessage evict(String source, String cache, String digest) {
		return new InvalidationMessage(1, source, EVICT, cache, digest);
	}

	static InvalidationMessage drop(String source, String cache, String digest) {
		return new InvalidationMessage(1, source, DROP, cache, digest);
	}

	static InvalidationMessage clear(String source, String cache) {
		return new InvalidationMessage(1, source, CLEAR, cache, null);
	}

	static InvalidationMessage flush(String source) {
		return new InvalidationMessage(1, source, FLUSH, null, null);
	}

	byte[] toBytes() {
		try {
			return MAPPER.writeValueAsBytes(this);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("An invalidation message could not be written", ex);
		}
	}

	/**
	 * Parse and validate a message.
	 * @param bytes the raw message
	 * @return the message
	 * @throws IllegalArgumentException if it is not a valid message (the message says
	 * why, without echoing the payload)
	 */
	static InvalidationMessage parse(byte[] bytes) {
		InvalidationMessage message;
		try {
			message = MAPPER.readValue(bytes, InvalidationMessage.class);
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalArgumentException("not an invalidation message (" + ex.getClass().getSimpleName() + ")");
		}
		if (message == null) {
			throw new IllegalArgumentException("not an invalidation message (null)");
		}
		message.validate();
		return message;
	}

	private void validate() {
		if (this.v != 1) {
			throw new IllegalArgumentException("unknown schema version " + this.v);
		}
		if (this.src == null || this.src.isBlank() || this.src.length() > 64) {
			throw new IllegalArgumentException("missing or overlong source id");
		}
		// Exactly as written: the handler dispatches on these strings, anything else is
		// unknown.
		if (this.op == null || !OPS.contains(this.op)) {
			throw new IllegalArgumentException("unknown operation");
		}
		if (!FLUSH.equals(this.op) && (this.cache == null || this.cache.isEmpty() || this.cache.length() > MAX_NAME)) {
			throw new IllegalArgumentException("missing or overlong cache name");
		}
		if ((EVICT.equals(this.op) || DROP.equals(this.op)) && !KeyDigest.isValid(this.key)) {
			throw new IllegalArgumentException("missing or malformed key digest");
		}
	}

}
