package io.github.optimization.cache.key;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.optimization.cache.key.CanonicalKey.NotCanonicalException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CanonicalKeyTests {

	@Test
	void mapsAreEqualWhateverTheirTypeAndInsertionOrder() {
		Map<String, Object> hash = new HashMap<>();
		hash.put("temperature", 0.7);
		hash.put("model", "gpt-4o-mini");
		hash.put("max_tokens", 100);
		Map<String, Object> linked = new LinkedHashMap<>();
		linked.put("max_tokens", 100L);
		linked.put("model", "gpt-4o-mini");
		linked.put("temperature", new BigDecimal("0.70"));
		assertThat(hash(hash)).isEqualTo(hash(linked));
	}

	@Test
	void setsAreEqualWhateverTheirOrder() {
		assertThat(hash(new LinkedHashSet<>(List.of("b", "a")))).isEqualTo(hash(new TreeSet<>(Set.of("a", "b"))));
	}

	@Test
	void listsKeepTheirOrder() {
		assertThat(hash(List.of("a", "b"))).isNotEqualTo(hash(List.of("b", "a")));
		assertThat(hash(List.of("a", "b"))).isEqualTo(hash(new ArrayList<>(List.of("a", "b"))));
	}

	@Test
	void valuesOfDifferentKindsNeverCollide() {
		assertThat(Set.of(hash(null), hash("null"), hash(""), hash(1), hash(1.0), hash("1"), hash(true), hash("true"),
				hash(List.of()), hash(Map.of()), hash(Optional.empty()), hash(List.of("a,b")), hash(List.of("a", "b")),
				hash(Kind.A), hash("A")))
			.hasSize(15);
	}

	@Test
	void integersAndDecimalsAreEqualAcrossJavaTypes() {
		assertThat(hash(1)).isEqualTo(hash(1L)).isEqualTo(hash((short) 1)).isEqualTo(hash(java.math.BigInteger.ONE));
		assertThat(hash(0.7f)).isEqualTo(hash(0.7d)).isEqualTo(hash(new BigDecimal("0.700")));
		assertThat(hash(0.7)).isNotEqualTo(hash(0.8));
	}

	@Test
	void recordsAndBeansAreEncodedByProperty() {
		assertThat(hash(new Request("sys", "hi", 0.2))).isEqualTo(hash(new Request("sys", "hi", 0.2)));
		assertThat(hash(new Request("sys", "hi", 0.2))).isNotEqualTo(hash(new Request("other", "hi", 0.2)));
		assertThat(hash(bean("x", 1))).isEqualTo(hash(bean("x", 1)));
		assertThat(hash(bean("x", 1))).isNotEqualTo(hash(bean("x", 2)));
	}

	@Test
	void theClassIsPartOfARecordsEncoding() {
		assertThat(hash(new Request("s", "u", 0.0))).isNotEqualTo(hash(new OtherRequest("s", "u", 0.0)));
	}

	@Test
	void jacksonTreesAreEncodedLikeMaps() throws Exception {
		ObjectMapper mapper = new ObjectMapper();
		assertThat(hash(mapper.readTree("{\"b\":1,\"a\":[true,\"x\"]}")))
			.isEqualTo(hash(mapper.readTree("{\"a\":[true,\"x\"],\"b\":1}")))
			.isEqualTo(hash(Map.of("a", List.of(true, "x"), "b", 1)));
	}

	@Test
	void refusesStreamsNamingThePath() {
		assertThatExceptionOfType(NotCanonicalException.class)
			.isThrownBy(() -> new CanonicalKey("m").add("request", Map.of("parts", Stream.of("a"))))
			.satisfies((ex) -> assertThat(ex.getPath()).isEqualTo("request[parts]"))
			.withMessageContaining("Stream");
	}

	@Test
	void refusesCycles() {
		List<Object> list = new ArrayList<>();
		list.add(list);
		assertThatExceptionOfType(NotCanonicalException.class).isThrownBy(() -> hash(list))
			.withMessageContaining("cycle");
	}

	@Test
	void refusesObjectsWithoutProperties() {
		assertThatExceptionOfType(NotCanonicalException.class).isThrownBy(() -> hash(new Opaque()))
			.withMessageContaining("no properties");
		assertThatExceptionOfType(NotCanonicalException.class).isThrownBy(() -> hash(new Object()))
			.withMessageContaining("JDK type");
	}

	@Test
	void declaredTypesThatCanNeverBeEncodedAreKnownUpFront() {
		assertThat(CanonicalKey.whyNotCanonical(Stream.class)).contains("BaseStream");
		assertThat(CanonicalKey.whyNotCanonical(Supplier.class)).contains("function");
		assertThat(CanonicalKey.whyNotCanonical(java.io.InputStream.class)).isNotNull();
		assertThat(CanonicalKey.whyNotCanonical(Opaque.class)).contains("no properties");
		assertThat(CanonicalKey.whyNotCanonical(Object.class)).isNull();
		assertThat(CanonicalKey.whyNotCanonical(Request.class)).isNull();
		assertThat(CanonicalKey.whyNotCanonical(Map.class)).isNull();
		assertThat(CanonicalKey.whyNotCanonical(int.class)).isNull();
		assertThat(CanonicalKey.whyNotCanonical(Bean.class)).isNull();
	}

	private static String hash(Object value) {
		return new CanonicalKey("method").add("arg", value).sha256();
	}

	private static Bean bean(String name, int size) {
		Bean bean = new Bean();
		bean.setName(name);
		bean.setSize(size);
		return bean;
	}

	enum Kind {

		A

	}

	record Request(String system, String user, double temperature) {
	}

	record OtherRequest(String system, String user, double temperature) {
	}

	static class Opaque {

	}

	public static class Bean {

		private String name;

		private int size;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			this.size = size;
		}

	}

	@Test
	void timestampsDifferingOnlyInNanosecondsDiffer() {
		java.sql.Timestamp a = java.sql.Timestamp.from(java.time.Instant.parse("2026-01-01T00:00:00.000000001Z"));
		java.sql.Timestamp b = java.sql.Timestamp.from(java.time.Instant.parse("2026-01-01T00:00:00.000000002Z"));
		assertThat(a.getTime()).isEqualTo(b.getTime());
		assertThat(new CanonicalKey("m").add("t", a).sha256()).isNotEqualTo(new CanonicalKey("m").add("t", b).sha256());
	}

}
