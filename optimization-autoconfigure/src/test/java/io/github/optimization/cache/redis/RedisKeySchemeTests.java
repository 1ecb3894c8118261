package io.github.optimization.cache.redis;

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
