package io.github.optimization.cache.key;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.cache.interceptor.SimpleKey;

import static org.assertj.core.api.Assertions.assertThat;

class CacheKeyEncoderTests {

	@Test
	void plainStringKeysStayReadable() {
		assertThat(CacheKeyEncoder.encode("user:42:profile")).isEqualTo("user:42:profile");
	}

	@Test
	void compositeKeysWithSeparatorsInsideDoNotCollide() {
		String ab = CacheKeyEncoder.encode(new SimpleKey("a, b", "c"));
		String bc = CacheKeyEncoder.encode(new SimpleKey("a", "b, c"));
		assertThat(ab).isNotEqualTo(bc);
		assertThat(CacheKeyEncoder.encode(new Object[] { "a,b", "c" }))
			.isNotEqualTo(CacheKeyEncoder.encode(new Object[] { "a", "b,c" }));
		assertThat(CacheKeyEncoder.encode(List.of("a)", "b"))).isNotEqualTo(CacheKeyEncoder.encode(List.of("a", ")b")));
	}

	@Test
	void stringsNeverCollideWithTaggedTypes() {
		Set<String> encoded = new HashSet<>();
		List<Object> keys = List.of("42", 42L, "#i42", true, "true", "#btrue", "#null",
				UUID.fromString("00000000-0000-0000-0000-000000000001"), "00000000-0000-0000-0000-000000000001",
				new BigDecimal("1.5"), "#d1.5", new SimpleKey("a", "b"), "#(a,b)", List.of("a", "b"), new SimpleKey());
		keys.forEach((key) -> encoded.add(CacheKeyEncoder.encode(key)));
		assertThat(encoded).hasSize(keys.size());
	}

	@Test
	void nullKeyIsDistinctFromTheStringNull() {
		assertThat(CacheKeyEncoder.encode(null)).isNotEqualTo(CacheKeyEncoder.encode("null"))
			.isNotEqualTo(CacheKeyEncoder.encode("#null"));
	}

	@Test
	void methodIdentityIsPartOfMethodKeys() {
		String first = CacheKeyEncoder.encode(new MethodKey("com.example.A#f(long)", new Object[] { 1L }));
		String second = CacheKeyEncoder.encode(new MethodKey("com.example.A#g(long)", new Object[] { 1L }));
		assertThat(first).isNotEqualTo(second).startsWith("#m");
	}

	@Test
	void objectKeysUseCanonicalJsonWhateverTheMapOrder() {
		record Query(String text, Map<String, Object> options) {
		}
		Map<String, Object> one = new java.util.LinkedHashMap<>();
		one.put("b", 2);
		one.put("a", 1);
		Map<String, Object> two = new java.util.LinkedHashMap<>();
		two.put("a", 1);
		two.put("b", 2);
		assertThat(CacheKeyEncoder.encode(new Query("q", one))).isEqualTo(CacheKeyEncoder.encode(new Query("q", two)));
		assertThat(CacheKeyEncoder.encode(new Query("q", Map.of("a", 1))))
			.isNotEqualTo(CacheKeyEncoder.encode(new Query("q", Map.of("a", 2))));
	}

	@Test
	void longKeysAreHashedWithSha256() {
		String key = "x".repeat(CacheKeyEncoder.MAX_PLAIN_LENGTH + 1);
		String encoded = CacheKeyEncoder.encode(key);
		assertThat(encoded).startsWith("#h").hasSize(2 + 64);
		assertThat(CacheKeyEncoder.encode(key + "y")).isNotEqualTo(encoded);
		assertThat(CacheKeyEncoder.encode("x".repeat(CacheKeyEncoder.MAX_PLAIN_LENGTH)))
			.isEqualTo("x".repeat(CacheKeyEncoder.MAX_PLAIN_LENGTH));
	}

	@Test
	void keysThatDifferInJavaDifferInRedis() {
		List<Object> keys = List.of(42, 42L, (short) 42, (byte) 42, java.math.BigInteger.valueOf(42), 1.5d, 1.5f,
				new BigDecimal("1.5"), new BigDecimal("1.50"), List.of("a", "b"), java.util.Set.of("a", "b"),
				new String[] { "a", "b" }, new SimpleKey("a", "b"), Map.of("a", "b"));
		Set<String> encoded = new HashSet<>();
		keys.forEach((key) -> encoded.add(CacheKeyEncoder.encode(key)));
		assertThat(encoded).hasSize(keys.size());
	}

	@Test
	void equalSetsEncodeEquallyWhateverTheirOrder() {
		java.util.Set<String> one = new java.util.LinkedHashSet<>(List.of("b", "a", "c"));
		java.util.Set<String> two = new java.util.TreeSet<>(List.of("c", "b", "a"));
		assertThat(CacheKeyEncoder.encode(one)).isEqualTo(CacheKeyEncoder.encode(two));
	}

	@Test
	void objectKeysWithoutGettersAreEncodedByTheirFields() {
		assertThat(CacheKeyEncoder.encode(new Criteria("a"))).isNotEqualTo(CacheKeyEncoder.encode(new Criteria("b")));
	}

	@Test
	void objectKeysWithNothingToTellThemApartAreRefused() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> CacheKeyEncoder.encode(new Object()))
			.withMessageContaining("no properties");
	}

	static final class Criteria {

		private final String value;

		Criteria(String value) {
			this.value = value;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Criteria c && c.value.equals(this.value);
		}

		@Override
		public int hashCode() {
			return this.value.hashCode();
		}

	}

}
