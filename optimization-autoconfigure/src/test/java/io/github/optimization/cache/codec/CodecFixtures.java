package io.github.optimization.cache.codec;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;

/**
 * Value types and helpers shared by the codec tests. The allowed package of the tests is
 * this package; the canaries live in {@code io.github.optimization.canary}, which is not
 * allowed.
 */
final class CodecFixtures {

	static final String ALLOWED_PACKAGE = "io.github.optimization.cache.codec";

	static final String CANARY = "io.github.optimization.canary.Canary";

	static final String TYPE_ID_CANARY = "io.github.optimization.canary.TypeIdCanary";

	static final TypeFactory TYPES = TypeFactory.defaultInstance();

	private CodecFixtures() {
	}

	static CacheValueCodec codec() {
		return codec(CodecSettings.defaults());
	}

	static CacheValueCodec codec(CodecSettings settings) {
		return new CacheValueCodec(CacheValueCodec.defaultObjectMapper(), settings,
				new TypeAllowList(List.of(ALLOWED_PACKAGE)));
	}

	static JavaType type(Class<?> type) {
		return TYPES.constructType(type);
	}

	static JavaType listOf(Class<?> element) {
		return TYPES.constructCollectionType(List.class, element);
	}

	/** An envelope built field by field, for bytes the encoder would never produce. */
	static byte[] envelope(int flags, String descriptor, int uncompressedLength, byte[] payload) {
		return Envelope.write(flags, 1_000L, descriptor.getBytes(StandardCharsets.UTF_8), uncompressedLength, payload);
	}

	static byte[] jsonEnvelope(String descriptor, String json) {
		return envelope(0, descriptor, 0, json.getBytes(StandardCharsets.UTF_8));
	}

	static Order sampleOrder() {
		return new Order("o-1", new Customer("Ada", Status.ACTIVE),
				List.of(new Line("sku-1", 2, new BigDecimal("9.90")), new Line("sku-2", 1, new BigDecimal("100.00"))),
				Instant.parse("2024-05-01T10:15:30.123456789Z"), LocalDate.of(2024, 6, 1),
				OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2)),
				ZonedDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris")), Duration.ofMillis(1500),
				Optional.of("leave at the door"), Status.BLOCKED);
	}

	enum Status {

		ACTIVE,

		/**
		 * A constant with a body: its runtime class is an anonymous subclass of the enum.
		 */
		BLOCKED {
			@Override
			boolean canOrder() {
				return false;
			}
		};

		boolean canOrder() {
			return true;
		}

	}

	record Customer(String name, Status status) {
	}

	record Line(String sku, int quantity, BigDecimal price) {
	}

	record Order(String id, Customer customer, List<Line> lines, Instant createdAt, LocalDate due,
			OffsetDateTime confirmedAt, ZonedDateTime deliverAt, Duration preparation, Optional<String> note,
			Status status) {
	}

	record TypeHolder(Class<?> type) {
	}

	@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
	interface Shape {

	}

	record Circle(double radius) implements Shape {
	}

	record Drawing(Shape shape) {
	}

	/** A mutable bean, as older code caches them. */
	static final class Address {

		private String street;

		private List<String> lines;

		public Address() {
		}

		Address(String street, List<String> lines) {
			this.street = street;
			this.lines = lines;
		}

		public String getStreet() {
			return this.street;
		}

		public void setStreet(String street) {
			this.street = street;
		}

		public List<String> getLines() {
			return this.lines;
		}

		public void setLines(List<String> lines) {
			this.lines = lines;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Address that && Objects.equals(this.street, that.street)
					&& Objects.equals(this.lines, that.lines);
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.street, this.lines);
		}

	}

	/** Cannot be serialized: its getter fails, with a message that must not leak. */
	static final class Explosive {

		public String getSecret() {
			throw new IllegalStateException("top-secret-value");
		}

	}

}
