package io.github.optimization.cache.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.github.optimization.canary.CanaryFlags;
import io.github.optimization.canary.SerializableCanary;
import io.github.optimization.cache.codec.CodecFixtures.Customer;
import io.github.optimization.cache.codec.CodecFixtures.Drawing;
import io.github.optimization.cache.codec.CodecFixtures.Order;
import io.github.optimization.cache.codec.CodecFixtures.TypeHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.optimization.cache.codec.CodecFixtures.CANARY;
import static io.github.optimization.cache.codec.CodecFixtures.TYPE_ID_CANARY;
import static io.github.optimization.cache.codec.CodecFixtures.codec;
import static io.github.optimization.cache.codec.CodecFixtures.envelope;
import static io.github.optimization.cache.codec.CodecFixtures.jsonEnvelope;
import static io.github.optimization.cache.codec.CodecFixtures.sampleOrder;
import static io.github.optimization.cache.codec.CodecFixtures.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Bytes from the store are untrusted: whatever they are, decoding returns a rejection or
 * a value, never throws, and never loads a class the allow-list did not accept first.
 */
class CacheValueCodecHostileInputTests {

	private static final String CUSTOMER_JSON = "{\"name\":\"Ada\",\"status\":\"ACTIVE\"}";

	private final CacheValueCodec codec = codec();

	@Test
	void canaryDetectsClassInitialization() throws ClassNotFoundException {
		// The control: loading and initializing a canary class is seen. (Jackson up to
		// 2.21.4
		// initialized classes it resolved by name; 2.21.7 no longer does, so load it
		// directly.)
		String control = "io.github.optimization.canary.ControlCanary";
		Class.forName(control, true, getClass().getClassLoader());
		assertThat(CanaryFlags.INITIALIZED).contains(control);
	}

	@Test
	void disallowedDescriptorIsRejectedWithoutLoadingTheClass() {
		byte[] bytes = jsonEnvelope(CANARY, "{\"name\":\"x\"}");
		Decoded decoded = this.codec.decode(bytes, null);
		assertThat(decoded.rejectReason()).isEqualTo(RejectReason.TYPE);
		assertThat(decoded.detail()).contains(CANARY);
		assertThat(this.codec.decode(bytes, type(Object.class)).rejectReason()).isEqualTo(RejectReason.TYPE);
		assertThat(CanaryFlags.INITIALIZED).doesNotContain(CANARY);
	}

	@Test
	void disallowedNameNestedInAGenericDescriptorIsRejectedWithoutLoadingIt() {
		byte[] bytes = jsonEnvelope("java.util.Map<java.lang.String,java.util.List<" + CANARY + ">>", "{}");
		assertThat(this.codec.decode(bytes, null).rejectReason()).isEqualTo(RejectReason.TYPE);
		byte[] array = jsonEnvelope("[L" + CANARY + ";", "[]");
		assertThat(this.codec.decode(array, null).rejectReason()).isEqualTo(RejectReason.TYPE);
		assertThat(CanaryFlags.INITIALIZED).doesNotContain(CANARY);
	}

	@Test
	void expectedTypeWinsOverADescriptorNamingAGadget() {
		byte[] bytes = jsonEnvelope(CANARY, CUSTOMER_JSON);
		Decoded decoded = this.codec.decode(bytes, type(Customer.class));
		assertThat(decoded.value()).isEqualTo(new Customer("Ada", CodecFixtures.Status.ACTIVE));
		assertThat(CanaryFlags.INITIALIZED).doesNotContain(CANARY);
	}

	@Test
	void classPropertyInJsonIsAnUnknownPropertyNotAType() {
		byte[] bytes = jsonEnvelope(Customer.class.getName(),
				"{\"@class\":\"" + TYPE_ID_CANARY + "\",\"name\":\"Ada\",\"status\":\"ACTIVE\"}");
		Decoded decoded = this.codec.decode(bytes, type(Customer.class));
		assertThat(decoded.rejectReason()).isEqualTo(RejectReason.CORRUPT);
		assertThat(decoded.detail()).contains("UnrecognizedPropertyException").contains("@class");
		assertThat(this.codec.decode(bytes, null).rejectReason()).isEqualTo(RejectReason.CORRUPT);
		assertThat(CanaryFlags.INITIALIZED).doesNotContain(TYPE_ID_CANARY);
	}

	@Test
	void classNameTypeIdOutsideTheAllowListIsRejectedWithoutLoadingIt() {
		byte[] bytes = jsonEnvelope(Drawing.class.getName(), "{\"shape\":{\"@class\":\"" + TYPE_ID_CANARY + "\"}}");
		assertThat(this.codec.decode(bytes, type(Drawing.class)).rejectReason()).isEqualTo(RejectReason.TYPE);
		assertThat(this.codec.decode(bytes, null).rejectReason()).isEqualTo(RejectReason.TYPE);
		assertThat(CanaryFlags.INITIALIZED).doesNotContain(TYPE_ID_CANARY);
	}

	@Test
	void classValuedPropertyIsCheckedAgainstTheAllowList() {
		byte[] gadget = jsonEnvelope(TypeHolder.class.getName(), "{\"type\":\"" + TYPE_ID_CANARY + "\"}");
		assertThat(this.codec.decode(gadget, type(TypeHolder.class)).rejectReason()).isEqualTo(RejectReason.TYPE);
		assertThat(CanaryFlags.INITIALIZED).doesNotContain(TYPE_ID_CANARY);
		byte[] allowed = jsonEnvelope(TypeHolder.class.getName(), "{\"type\":\"java.lang.String\"}");
		assertThat(this.codec.decode(allowed, type(TypeHolder.class)).value()).isEqualTo(new TypeHolder(String.class));
	}

	@Test
	void jdkSerializedBytesAreForeignAndNeverDeserialized() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
			objects.writeObject(new SerializableCanary("payload"));
		}
		byte[] bytes = out.toByteArray();
		assertThat(bytes).startsWith((byte) 0xAC, (byte) 0xED, (byte) 0x00, (byte) 0x05);
		Decoded decoded = this.codec.decode(bytes, null);
		assertThat(decoded.rejectReason()).isEqualTo(RejectReason.FOREIGN);
		assertThat(decoded.detail()).contains("JDK serialization");
		assertThat(this.codec.decode(bytes, type(Object.class)).rejectReason()).isEqualTo(RejectReason.FOREIGN);
		assertThat(this.codec.decode(bytes, type(Customer.class)).rejectReason()).isEqualTo(RejectReason.FOREIGN);
		assertThat(CanaryFlags.READ_OBJECT_CALLED).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "{\"name\":\"Ada\",\"status\":\"ACTIVE\"}", "[1,2,3]", "\"text\"", "42", "null", "plain text" })
	void plainJsonAndTextAreForeign(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		assertThat(this.codec.decode(bytes, null).rejectReason()).isEqualTo(RejectReason.FOREIGN);
		assertThat(this.codec.decode(bytes, type(Customer.class)).rejectReason()).isEqualTo(RejectReason.FOREIGN);
	}

	@Test
	void nullEmptyAndOneByteInputsAreForeign() {
		assertThat(this.codec.decode(null, null).rejectReason()).isEqualTo(RejectReason.FOREIGN);
		assertThat(this.codec.decode(new byte[0], null).rejectReason()).isEqualTo(RejectReason.FOREIGN);
		assertThat(this.codec.decode(new byte[] { Envelope.MAGIC_0 }, null).rejectReason())
			.isEqualTo(RejectReason.FOREIGN);
	}

	@Test
	void everyTruncationOfAValidEnvelopeIsRejected() {
		byte[] bytes = this.codec.encode(sampleOrder(), null, 1L);
		int headerEnd = Envelope.FIXED_HEADER_LENGTH + CacheValueCodecTests.descriptor(bytes).length();
		for (int length = 0; length < bytes.length; length++) {
			Decoded decoded = this.codec.decode(Arrays.copyOf(bytes, length), null);
			assertThat(decoded.isRejected()).as("prefix of %d bytes", length).isTrue();
			RejectReason expected = (length < 2) ? RejectReason.FOREIGN : RejectReason.CORRUPT;
			if (length <= headerEnd) {
				assertThat(decoded.rejectReason()).as("prefix of %d bytes", length).isEqualTo(expected);
			}
		}
	}

	@Test
	void unknownVersionOrFlagsAreCorrupt() {
		byte[] valid = this.codec.encode("v", null, 1L);
		byte[] version = valid.clone();
		version[2] = 2;
		assertThat(this.codec.decode(version, null).detail()).isEqualTo("unsupported format version 2");
		for (int flags : new int[] { 0x04, 0x80, 0x03 }) {
			byte[] bad = valid.clone();
			bad[3] = (byte) flags;
			Decoded decoded = this.codec.decode(bad, null);
			assertThat(decoded.rejectReason()).as("flags %x", flags).isEqualTo(RejectReason.CORRUPT);
		}
	}

	@Test
	void nullEntryCarryingDataIsCorrupt() {
		byte[] bytes = envelope(Envelope.FLAG_NULL, "java.lang.String", 0, "\"x\"".getBytes(StandardCharsets.UTF_8));
		assertThat(this.codec.decode(bytes, null).rejectReason()).isEqualTo(RejectReason.CORRUPT);
	}

	@Test
	void overlongOrMissingDescriptorIsCorrupt() {
		byte[] overlong = jsonEnvelope("java.lang.String", "\"x\"");
		overlong[12] = 0x02;
		overlong[13] = 0x01;
		assertThat(this.codec.decode(overlong, null).detail()).contains("513 bytes exceeds 512");
		byte[] missing = jsonEnvelope("", "\"x\"");
		assertThat(this.codec.decode(missing, null).detail()).isEqualTo("missing type descriptor");
		byte[] pastTheEnd = jsonEnvelope("java.lang.String", "\"x\"");
		pastTheEnd[13] = (byte) 200;
		assertThat(this.codec.decode(pastTheEnd, null).rejectReason()).isEqualTo(RejectReason.CORRUPT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{not json", "{\"name\":\"Ada\",\"status\":\"ACTIVE\"", "{\"name\":\"Ada\"} trailing",
			"\"a\" \"b\"", "{\"name\":\"Ada\",\"status\":\"NO_SUCH_STATUS\"}", "[]", "\u0000" })
	void badJsonAfterAValidHeaderIsCorrupt(String json) {
		byte[] bytes = jsonEnvelope(Customer.class.getName(), json);
		assertThat(this.codec.decode(bytes, null).rejectReason()).isEqualTo(RejectReason.CORRUPT);
		assertThat(this.codec.decode(bytes, type(Customer.class)).rejectReason()).isEqualTo(RejectReason.CORRUPT);
	}

	@Test
	void corruptDetailNeverEchoesPayloadValues() {
		byte[] bytes = jsonEnvelope(Order.class.getName(), "{\"id\":\"secret-42\",\"lines\":\"secret-43\"}");
		Decoded decoded = this.codec.decode(bytes, null);
		assertThat(decoded.rejectReason()).isEqualTo(RejectReason.CORRUPT);
		assertThat(decoded.detail()).contains("lines").doesNotContain("secret");
	}

	@Test
	void jsonNullPayloadWithoutTheNullFlagIsCorrupt() {
		assertThat(this.codec.decode(jsonEnvelope("java.lang.String", "null"), null).rejectReason())
			.isEqualTo(RejectReason.CORRUPT);
	}

	@Test
	void rawBytesLongerThanMaxValueSizeAreOversized() {
		CacheValueCodec uncompressed = codec(new CodecSettings(Integer.MAX_VALUE, 1_048_576, 16_777_216));
		byte[] bytes = uncompressed.encode("x".repeat(5_000), null, 1L);
		CacheValueCodec strict = codec(new CodecSettings(Integer.MAX_VALUE, 1_000, 1_000));
		Decoded decoded = strict.decode(bytes, null);
		assertThat(decoded.rejectReason()).isEqualTo(RejectReason.OVERSIZED);
		assertThat(decoded.detail()).isEqualTo(bytes.length + " bytes exceed maxValueSize of 1000");
	}

	@Test
	void encodingAValueOverMaxValueSizeThrowsOversized() {
		CacheValueCodec strict = codec(new CodecSettings(Integer.MAX_VALUE, 1_000, 1_000_000));
		assertThatExceptionOfType(CodecException.class).isThrownBy(() -> strict.encode("secret".repeat(500), null, 1L))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RejectReason.OVERSIZED))
			.withMessageContaining("java.lang.String")
			.withMessageContaining("maxValueSize of 1000")
			.withMessageNotContaining("secret");
		assertThatExceptionOfType(CodecException.class)
			.isThrownBy(() -> codec(new CodecSettings(0, 10, 10)).encode(null, null, 1L))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RejectReason.OVERSIZED));
	}

	@Test
	void randomGarbageNeverThrows() {
		Random random = new Random(20240501L);
		for (int i = 0; i < 1_000; i++) {
			byte[] bytes = new byte[random.nextInt(300)];
			random.nextBytes(bytes);
			if (i % 2 == 0 && bytes.length >= 4) {
				// give half of them our magic and version, so the deeper stages are
				// exercised too
				bytes[0] = Envelope.MAGIC_0;
				bytes[1] = Envelope.MAGIC_1;
				bytes[2] = Envelope.VERSION;
				bytes[3] = (byte) random.nextInt(4);
			}
			decodeNeverThrows(bytes);
		}
	}

	@Test
	void mutatedValidEnvelopesNeverThrow() {
		Random random = new Random(7L);
		List<byte[]> seeds = List.of(this.codec.encode(sampleOrder(), null, 1L),
				codec(new CodecSettings(0, 1_048_576, 16_777_216)).encode(sampleOrder(), null, 1L),
				this.codec.encode(List.of(sampleOrder(), sampleOrder()), null, 1L), this.codec.encode(null, null, 1L));
		for (int i = 0; i < 1_000; i++) {
			byte[] bytes = seeds.get(i % seeds.size()).clone();
			int flips = 1 + random.nextInt(4);
			for (int f = 0; f < flips; f++) {
				bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
			}
			decodeNeverThrows(bytes);
		}
		assertThat(CanaryFlags.INITIALIZED).doesNotContain(CANARY, TYPE_ID_CANARY);
	}

	private void decodeNeverThrows(byte[] bytes) {
		assertThatNoException().isThrownBy(() -> {
			Decoded withoutType = this.codec.decode(bytes, null);
			Decoded withType = this.codec.decode(bytes, type(Order.class));
			assertThat(withoutType).isNotNull();
			assertThat(withType).isNotNull();
			if (!withType.isRejected() && !withType.isNull()) {
				assertThat(withType.value()).isInstanceOf(Order.class);
			}
		});
	}

}
