package io.github.optimization.cache.key;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RedisKeySchemeTests {

	private final RedisKeyScheme scheme = new RedisKeyScheme("opt:", 3);

	private String key(String cache, Object key) {
		return new String(this.scheme.forCache(cache).redisKey(key), StandardCharsets.UTF_8);
	}

	@Test
	void layoutHasPrefixSchemaVersionCacheAndKey() {
		assertThat(key("users", "42")).isEqualTo("opt:v3:users:42");
		assertThat(key("users", 42L)).isEqualTo("opt:v3:users:#l42");
	}

	@Test
	void cacheNameAndKeyBoundaryIsUnambiguous() {
		assertThat(key("a", ":b")).isNotEqualTo(key("a:", "b"));
		assertThat(key("a\\", ":b")).isNotEqualTo(key("a", "\\:b"));
	}

	@Test
	void schemaVersionSeparatesDeploys() {
		assertThat(new String(new RedisKeyScheme("opt:", 4).forCache("users").redisKey("1"), StandardCharsets.UTF_8))
			.isNotEqualTo(key("users", "1"));
	}

	@Test
	void clearPatternEscapesGlobCharactersInTheCacheName() {
		assertThat(this.scheme.forCache("*").allKeysPattern()).isEqualTo("opt:v3:\\*:*");
		assertThat(this.scheme.forCache("a[bc]?").allKeysPattern()).isEqualTo("opt:v3:a\\[bc\\]\\?:*");
		assertThat(this.scheme.forCache("a:b").allKeysPattern()).isEqualTo("opt:v3:a\\\\:b:*");
	}

	@Test
	void keyPatternKeepsWildcardsAndEscapesTheRest() {
		assertThat(this.scheme.forCache("users").keyPattern("user:42:*")).isEqualTo("opt:v3:users:user:42:*");
		assertThat(this.scheme.forCache("users").keyPattern("a[1]?")).isEqualTo("opt:v3:users:a\\[1\\]?");
		assertThat(this.scheme.forCache("users").keyPattern("a,b*")).isEqualTo("opt:v3:users:a\\\\,b*");
	}

	@Test
	void lockKeysLiveUnderThePrefixButOutsideEveryCachesEntries() {
		String lock = new String(this.scheme.forCache("users").lockKey(42L), StandardCharsets.UTF_8);
		assertThat(lock).isEqualTo("opt:lock:v3:users:#l42").startsWith("opt:");
		// A cache named "lock" and a string key that spells a lock key stay entries.
		assertThat(key("lock", "v3:users:#l42")).isNotEqualTo(lock);
		assertThat(key("users", "lock:v3:users:#l42")).isNotEqualTo(lock);
		for (String cache : new String[] { "users", "lock", "*", "lock:v3:users" }) {
			assertThat(globMatches(this.scheme.forCache(cache).allKeysPattern(), lock)).as("clear of %s", cache)
				.isFalse();
			assertThat(globMatches(this.scheme.forCache(cache).keyPattern("*"), lock))
				.as("evictMatching(*) of %s", cache)
				.isFalse();
		}
		assertThat(globMatches(this.scheme.forCache("users").allKeysPattern(), key("users", 42L))).isTrue();
	}

	/**
	 * Redis's glob for the subset the scheme produces: '*', '?' and backslash escapes.
	 */
	private static boolean globMatches(String pattern, String text) {
		StringBuilder regex = new StringBuilder();
		for (int i = 0; i < pattern.length(); i++) {
			char c = pattern.charAt(i);
			if (c == '\\' && i + 1 < pattern.length()) {
				regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
			}
			else if (c == '*') {
				regex.append(".*");
			}
			else if (c == '?') {
				regex.append('.');
			}
			else {
				regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
			}
		}
		return text.matches(regex.toString());
	}

	@Test
	void rejectsSchemaVersionBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeyScheme("opt:", 0))
			.withMessageContaining("at least 1");
	}

	@Test
	void keyPatternMatchesEncodedStringKeysOnly() {
		KeyPattern pattern = KeyPattern.compile("user:42:*");
		assertThat(pattern.matches(CacheKeyEncoder.encode("user:42:profile"))).isTrue();
		assertThat(pattern.matches(CacheKeyEncoder.encode("user:421:profile"))).isFalse();
		assertThat(KeyPattern.compile("a\\*").matches("a*")).isTrue();
		assertThat(KeyPattern.compile("a\\*").matches("ab")).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> KeyPattern.compile("a\\"));
	}

}
