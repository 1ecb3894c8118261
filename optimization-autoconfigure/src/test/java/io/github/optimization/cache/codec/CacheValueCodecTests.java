package io.github.optimization.cache.codec;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.impl.LaissezFaireSubTypeValidator;
import io.github.optimization.cache.codec.CodecFixtures.Address;
import io.github.optimization.cache.codec.CodecFixtures.Circle;
import io.github.optimization.cache.codec.CodecFixtures.Customer;
import io.github.optimization.cache.codec.CodecFixtures.Drawing;
import io.github.optimization.cache.codec.CodecFixtures.Explosive;
import io.github.optimization.cache.codec.CodecFixtures.Line;
import io.github.optimization.cache.codec.CodecFixtures.Order;
import io.github.optimization.cache.codec.CodecFixtures.Status;
import org.junit.jupiter.api.Test;

import static io.github.optimization.cache.codec.CodecFixtures.TYPES;
import static io.github.optimization.cache.codec.CodecFixtures.codec;
import static io.github.optimization.cache.codec.CodecFixtures.listOf;
import static io.github.optimization.cache.codec.CodecFixtures.sampleOrder;
import static io.github.optimization.cache.codec.CodecFixtures.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Round trips and the type rules of {@link CacheValueCodec}; hostile input is in
 * {@link CacheValueCodecHostileInputTests}, compression in
 * {@link CacheValueCodecCompressionTests}.
 */
class CacheValueCodecTests {

	private final CacheValueCodec codec = codec();

	@Test
	void recordWithNestedListAndJavaTimeFieldsRoundTripsWithDeclaredType() {
		Order order = sampleOrder();
		byte[] bytes = this.codec.encode(order, type(Order.class), 5_000L);
		assertThat(value(this.codec.decode(bytes, type(Order.class)))).isEqualTo(order);
	}

	@Test
	void recordRoundTripsThroughTheStoredDescriptorWhenNoTypeIsGiven() {
		Order order = sampleOrder();
		byte[] bytes = this.codec.encode(order, null, 5_000L);
		assertThat(descriptor(bytes)).isEqualTo(Order.class.getName());
		assertThat(value(this.codec.decode(bytes, null))).isEqualTo(order);
	}

	@Test
	void mutableBeanRoundTrips() {
		Address address = new Address("1 Main St", List.of("Flat 2", "Springfield"));
		assertThat(value(this.codec.decode(this.codec.encode(address, null, 1L), null))).isEqualTo(address);
		assertThat(value(this.codec.decode(this.codec.encode(address, null, 1L), type(Address.class))))
			.isEqualTo(address);
	}

	@Test
	void jdkValuesRoundTripWithTheirExactClass() {
		assertThat(roundTrip("hello")).isEqualTo("hello");
		assertThat(roundTrip(42L)).isInstanceOf(Long.class).isEqualTo(42L);
		assertThat(roundTrip(new BigDecimal("12.50"))).isInstanceOf(BigDecimal.class).hasToString("12.50");
		assertThat(roundTrip(Status.BLOCKED)).isSameAs(Status.BLOCKED);
	}

	@Test
	void listOfRecordsRoundTripsWithoutDeclaredType() {
		List<Line> lines = sampleOrder().lines();
		byte[] bytes = this.codec.encode(lines, null, 1L);
		assertThat(descriptor(bytes)).isEqualTo("java.util.List<" + Line.class.getName() + ">");
		assertThat(value(this.codec.decode(bytes, null))).isEqualTo(lines);
		assertThat(value(this.codec.decode(bytes, listOf(Line.class)))).isEqualTo(lines);
	}

	@Test
	void mapOfStringToRecordRoundTrips() {
		Map<String, Customer> customers = new LinkedHashMap<>();
		customers.put("a", new Customer("Ada", Status.ACTIVE));
		customers.put("b", new Customer("Bob", Status.BLOCKED));
		byte[] bytes = this.codec.encode(customers, null, 1L);
		assertThat(descriptor(bytes)).isEqualTo("java.util.Map<java.lang.String," + Customer.class.getName() + ">");
		assertThat(value(this.codec.decode(bytes, null))).isEqualTo(customers);
		JavaType declared = TYPES.constructMapType(Map.class, String.class, Customer.class);
		assertThat(value(this.codec.decode(this.codec.encode(customers, declared, 1L), declared))).isEqualTo(customers);
	}

	@Test
	void immutableJdkCollectionsAreDescribedByTheirInterface() {
		assertThat(descriptor(this.codec.encode(List.of("a", "b"), null, 1L)))
			.isEqualTo("java.util.List<java.lang.String>");
		assertThat(descriptor(this.codec.encode(Set.of(1L), null, 1L))).isEqualTo("java.util.Set<java.lang.Long>");
		assertThat(descriptor(this.codec.encode(Map.of("k", List.of(1L)), null, 1L)))
			.isEqualTo("java.util.Map<java.lang.String,java.util.List<java.lang.Long>>");
		assertThat(roundTrip(Set.of("x", "y"))).isEqualTo(Set.of("x", "y"));
	}

	@Test
	void mixedOrEmptyCollectionsDecodeIntoNaturalTypes() {
		List<Object> mixed = Arrays.asList(1, "two", null);
		byte[] bytes = this.codec.encode(mixed, null, 1L);
		assertThat(descriptor(bytes)).isEqualTo("java.util.List<java.lang.Object>");
		assertThat(value(this.codec.decode(bytes, null))).isEqualTo(mixed);
		assertThat(descriptor(this.codec.encode(new ArrayList<>(), null, 1L)))
			.isEqualTo("java.util.List<java.lang.Object>");
		assertThat(roundTrip(List.of())).isEqualTo(List.of());
	}

	@Test
	void arraysAndOptionalsRoundTrip() {
		Line[] lines = sampleOrder().lines().toArray(new Line[0]);
		byte[] bytes = this.codec.encode(lines, null, 1L);
		assertThat(descriptor(bytes)).isEqualTo("[L" + Line.class.getName() + ";");
		assertThat((Line[]) value(this.codec.decode(bytes, null))).containsExactly(lines);
		assertThat((int[]) roundTrip(new int[] { 3, 1, 2 })).containsExactly(3, 1, 2);
		assertThat(descriptor(this.codec.encode(Optional.of("x"), null, 1L)))
			.isEqualTo("java.util.Optional<java.lang.String>");
		assertThat(roundTrip(Optional.of("x"))).isEqualTo(Optional.of("x"));
		assertThat(roundTrip(Optional.empty())).isEqualTo(Optional.empty());
	}

	@Test
	void cachedNullRoundTripsWithItsExpiry() {
		byte[] bytes = this.codec.encode(null, type(Order.class), 123_456L);
		Decoded decoded = this.codec.decode(bytes, type(Order.class));
		assertThat(decoded.isRejected()).isFalse();
		assertThat(decoded.isNull()).isTrue();
		assertThat(decoded.value()).isNull();
		assertThat(decoded.expiresAtEpochMillis()).isEqualTo(123_456L);
		assertThat(this.codec.decode(bytes, null).isNull()).isTrue();
	}

	@Test
	void expiryIsPreservedExactly() {
		for (long expiresAt : new long[] { 0L, 1L, 1_714_557_330_123L, Long.MAX_VALUE, Long.MIN_VALUE, -1L }) {
			Decoded decoded = this.codec.decode(this.codec.encode("v", null, expiresAt), null);
			assertThat(decoded.expiresAtEpochMillis()).isEqualTo(expiresAt);
		}
	}

	@Test
	void primitiveDeclaredTypeDecodesToItsWrapper() {
		JavaType intType = type(int.class);
		assertThat(value(this.codec.decode(this.codec.encode(7, intType, 1L), intType))).isEqualTo(7);
	}

	@Test
	void objectDeclaredTypeStoresTheRuntimeTypeSoTheValueComesBackAsItself() {
		Customer customer = new Customer("Ada", Status.ACTIVE);
		byte[] bytes = this.codec.encode(customer, type(Object.class), 1L);
		assertThat(descriptor(bytes)).isEqualTo(Customer.class.getName());
		assertThat(value(this.codec.decode(bytes, type(Object.class)))).isEqualTo(customer);
	}

	@Test
	void expectedTypeIgnoresALyingDescriptor() {
		byte[] bytes = CodecFixtures.jsonEnvelope("java.lang.Integer", "{\"name\":\"Ada\",\"status\":\"ACTIVE\"}");
		assertThat(value(this.codec.decode(bytes, type(Customer.class)))).isEqualTo(new Customer("Ada", Status.ACTIVE));
	}

	@Test
	void storedTypeThatDoesNotFitAnAbstractExpectedTypeIsRejected() {
		byte[] bytes = this.codec.encode("text", null, 1L);
		Decoded decoded = this.codec.decode(bytes, type(Number.class));
		assertThat(decoded.rejectReason()).as(decoded.detail()).isEqualTo(RejectReason.TYPE);
		assertThat(decoded.detail()).contains("java.lang.String").contains("java.lang.Number");
		assertThat(value(this.codec.decode(this.codec.encode(5L, null, 1L), type(Number.class)))).isEqualTo(5L);
	}

	@Test
	void collectionContentIsComparedWithTheExpectedContent() {
		byte[] strings = this.codec.encode(List.of("a"), null, 1L);
		JavaType listOfNumbers = listOf(Number.class);
		assertThat(this.codec.decode(strings, listOfNumbers).rejectReason()).isEqualTo(RejectReason.TYPE);
		byte[] longs = this.codec.encode(List.of(1L, 2L), null, 1L);
		assertThat(value(this.codec.decode(longs, listOfNumbers))).isEqualTo(List.of(1L, 2L));
	}

	@Test
	void classNamePolymorphismOfTheValueTypeWorksForAllowedClasses() {
		Drawing drawing = new Drawing(new Circle(2.5));
		assertThat(value(this.codec.decode(this.codec.encode(drawing, null, 1L), null))).isEqualTo(drawing);
		assertThat(value(this.codec.decode(this.codec.encode(drawing, null, 1L), type(Drawing.class))))
			.isEqualTo(drawing);
	}

	@Test
	void encodeFailureNamesTheClassButNotTheValue() {
		assertThatExceptionOfType(CodecException.class).isThrownBy(() -> this.codec.encode(new Explosive(), null, 1L))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RejectReason.CORRUPT))
			.withMessageContaining(Explosive.class.getName())
			.withMessageNotContaining("top-secret-value");
	}

	@Test
	void encodeOfAValueThatIsNotItsDeclaredTypeFails() {
		assertThatExceptionOfType(CodecException.class)
			.isThrownBy(() -> this.codec.encode("text", type(Customer.class), 1L))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RejectReason.CORRUPT));
	}

	@Test
	void refusesAMapperWithDefaultTyping() {
		ObjectMapper mapper = CacheValueCodec.defaultObjectMapper();
		mapper.activateDefaultTyping(LaissezFaireSubTypeValidator.instance, ObjectMapper.DefaultTyping.NON_FINAL);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CacheValueCodec(mapper, CodecSettings.defaults(), new TypeAllowList(List.of())))
			.withMessageContaining("default typing");
	}

	@Test
	void laterChangesToTheGivenMapperDoNotReachTheCodec() {
		ObjectMapper mapper = CacheValueCodec.defaultObjectMapper();
		CacheValueCodec codec = new CacheValueCodec(mapper, CodecSettings.defaults(),
				new TypeAllowList(List.of(CodecFixtures.ALLOWED_PACKAGE)));
		mapper.disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
		byte[] bytes = CodecFixtures.jsonEnvelope(Customer.class.getName(),
				"{\"name\":\"Ada\",\"status\":\"ACTIVE\",\"added\":1}");
		assertThat(codec.decode(bytes, type(Customer.class)).rejectReason()).isEqualTo(RejectReason.CORRUPT);
	}

	@Test
	void exposesItsSettings() {
		CodecSettings settings = new CodecSettings(10, 100, 1000);
		assertThat(codec(settings).settings()).isSameAs(settings);
	}

	private Object roundTrip(Object value) {
		return value(this.codec.decode(this.codec.encode(value, null, 1L), null));
	}

	static Object value(Decoded decoded) {
		assertThat(decoded.isRejected()).as("rejected: %s", decoded).isFalse();
		return decoded.value();
	}

	static String descriptor(byte[] bytes) {
		int length = ((bytes[12] & 0xFF) << 8) | (bytes[13] & 0xFF);
		return new String(bytes, 14, length, StandardCharsets.UTF_8);
	}

	@Test
	void valuesWithComputedGettersRoundTrip() {
		CacheValueCodec codec = new CacheValueCodec(CacheValueCodec.defaultObjectMapper(), CodecSettings.defaults(),
				new TypeAllowList(java.util.List.of("io.github.optimization")));
		Person person = new Person("Ada", "Lovelace");
		byte[] bytes = codec.encode(person, null, 1L);
		Decoded decoded = codec.decode(bytes, null);
		org.assertj.core.api.Assertions.assertThat(decoded.isRejected()).as(String.valueOf(decoded)).isFalse();
		org.assertj.core.api.Assertions.assertThat(decoded.value()).isEqualTo(person);
	}

	/** A value with a computed property. */
	public record Person(String first, String last) {

		public String getFullName() {
			return this.first + " " + this.last;
		}

	}

}
