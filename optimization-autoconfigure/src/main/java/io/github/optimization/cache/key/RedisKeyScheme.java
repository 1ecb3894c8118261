package io.github.optimization.cache.key;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The layout of the cache's keys in Redis:
 * {@code <prefix>v<schemaVersion>:<cache name>:<encoded key>} for entries, and
 * {@code <prefix>lock:v<schemaVersion>:<cache name>:<encoded key>} for the locks of
 * cluster-wide single flight.
 *
 * <p>
 * The cache name is escaped ({@code \} and {@code :} get a backslash) so the name ends at
 * the first unescaped colon: cache {@code a} key {@code :b} and cache {@code a:} key
 * {@code b} are different Redis keys. The schema version lets a deploy whose cached
 * classes changed read misses rather than old shapes. Patterns for SCAN escape every glob
 * character, so a cache named {@code *} can only ever match its own keys.
 *
 * <p>
 * Lock keys share the application's prefix, so an ACL key pattern {@code ~<prefix>*}
 * covers them, but right after the prefix they have {@code lock:} where entries have
 * {@code v<digits>:}. So no lock key is ever an entry of any cache (a lock's token is
 * never decoded as a value), and no entry pattern, which always starts with
 * {@code <prefix>v<schemaVersion>:<escaped cache name>:}, matches a lock: a
 * {@code clear()} or {@code evictMatching} never deletes a lock another instance holds. A
 * lock lives for its TTL at most and holds a random token only.
 *
 * <p>
 * Immutable and thread-safe.
 */
public final class RedisKeyScheme {

	private final String prefix;

	private final int schemaVersion;

	/**
	 * Create a scheme.
	 * @param prefix the prefix of every key, e.g. {@code "opt:"}; may be empty, not
	 * {@code null}
	 * @param schemaVersion the schema version, at least 1
	 * @throws IllegalArgumentException if the version is below 1
	 */
	public RedisKeyScheme(String prefix, int schemaVersion) {
		Objects.requireNonNull(prefix, "prefix");
		if (schemaVersion < 1) {
			throw new IllegalArgumentException("schema version must be at least 1, was " + schemaVersion);
		}
		this.prefix = prefix;
		this.schemaVersion = schemaVersion;
	}

	/**
	 * The key space of one cache.
	 * @param cacheName the cache name
	 * @return the cache's key space
	 */
	public CacheKeySpace forCache(String cacheName) {
		String name = "v" + this.schemaVersion + ":" + escapeName(cacheName) + ":";
		return new CacheKeySpace(this.prefix + name, this.prefix + "lock:" + name);
	}

	static String escapeName(String name) {
		StringBuilder sb = new StringBuilder(name.length() + 4);
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '\\' || c == ':') {
				sb.append('\\');
			}
			sb.append(c);
		}
		return sb.toString();
	}

	/**
	 * Escape every Redis glob character ({@code * ? [ ] \}) so the text matches only
	 * itself.
	 * @param literal the literal text
	 * @return the escaped pattern
	 */
	public static String globEscape(String literal) {
		StringBuilder sb = new StringBuilder(literal.length() + 8);
		for (int i = 0; i < literal.length(); i++) {
			char c = literal.charAt(i);
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^') {
				sb.append('\\');
			}
			sb.append(c);
		}
		return sb.toString();
	}

	/**
	 * The Redis keys of one cache. Immutable and thread-safe.
	 */
	public static final class CacheKeySpace {

		private final String namespace;

		private final String allKeysPattern;

		private final String lockNamespace;

		CacheKeySpace(String namespace, String lockNamespace) {
			this.namespace = namespace;
			this.allKeysPattern = globEscape(namespace) + "*";
			this.lockNamespace = lockNamespace;
		}

		/**
		 * The Redis key of a cache key.
		 * @param key the cache key, may be {@code null}
		 * @return the UTF-8 bytes of the Redis key
		 */
		public byte[] redisKey(Object key) {
			return (this.namespace + CacheKeyEncoder.encode(key)).getBytes(StandardCharsets.UTF_8);
		}

		/**
		 * The Redis key of the cluster-wide load lock of a cache key. It can never be an
		 * entry's key, nor match {@link #allKeysPattern()} or {@link #keyPattern(String)}
		 * of any cache.
		 * @param key the cache key, may be {@code null}
		 * @return the UTF-8 bytes of the lock's Redis key
		 */
		public byte[] lockKey(Object key) {
			return (this.lockNamespace + CacheKeyEncoder.encode(key)).getBytes(StandardCharsets.UTF_8);
		}

		/** The SCAN pattern that matches exactly this cache's keys. */
		public String allKeysPattern() {
			return this.allKeysPattern;
		}

		/**
		 * The SCAN pattern that matches this cache's string keys that match a key
		 * pattern.
		 * @param keyPattern a pattern over string keys where {@code *} matches any run of
		 * characters, {@code ?} one character, and {@code \} makes the next character
		 * literal
		 * @return the SCAN pattern
		 */
		public String keyPattern(String keyPattern) {
			return globEscape(this.namespace) + KeyPattern.toRedisGlob(keyPattern);
		}

		/** The common prefix of this cache's Redis keys. */
		public String namespace() {
			return this.namespace;
		}

	}

}
