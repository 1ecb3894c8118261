package io.github.optimization.cache.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.optimization.cache.codec.CodecFixtures.codec;
import static io.github.optimization.cache.codec.CodecFixtures.envelope;
import static io.github.optimization.cache.codec.CodecFixtures.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The compression threshold, and decompression of untrusted zstd frames: bombs and lying
 * headers are refused before (or instead of) allocating what they claim.
 */
class CacheValueCodecCompressionTests {

	private static final int SIXTY_FOUR_MIB = 64 * 1024 * 1024;

	/**
	 * 64 MiB of zeros, as one zstd frame of a few kilobytes that records its content
	 * size.
	 */
	private static byte[] bombFrame;

	private final CacheValueCodec codec = codec();

	@BeforeAll
	static void compressBomb() {
		bombFrame = Zstd.compress(new byte[SIXTY_FOUR_MIB], 3);
		assertThat(bombFrame.length).isLessThan(16 * 1024);
	}

	@Test
	void jsonAtTheThresholdIsStoredPlainAndJustOverItIsCompressed() {
		int threshold = CodecSettings.defaults().compressionThreshold();
		String atThreshold = "a".repeat(threshold - 2); // plus two quotes: exactly the
														// threshold
		String overThreshold = "a".repeat(threshold - 1);
		byte[] plain = this.codec.encode(atThreshold, null, 1L);
		byte[] compressed = this.codec.encode(overThreshold, null, 1L);
		assertThat(plain[3] & Envelope.FLAG_COMPRESSED).isZero();
		assertThat(compressed[3] & Envelope.FLAG_COMPRESSED).isEqualTo(Envelope.FLAG_COMPRESSED);
		assertThat(this.codec.decode(plain, null).value()).isEqualTo(atThreshold);
		assertThat(this.codec.decode(compressed, null).value()).isEqualTo(overThreshold);
	}

	@Test
	void repetitivePayloadCompressesToFarFewerBytes() {
		String tenKib = "{\"sku\":\"A-1\",\"qty\":1}".repeat(10 * 1024 / 20);
		byte[] compressed = this.codec.encode(tenKib, null, 1L);
		byte[] plain = codec(new CodecSettings(Integer.MAX_VALUE, 1_048_576, 16_777_216)).encode(tenKib, null, 1L);
		assertThat(compressed[3] & Envelope.FLAG_COMPRESSED).isEqualTo(Envelope.FLAG_COMPRESSED);
		assertThat(plain[3] & Envelope.FLAG_COMPRESSED).isZero();
		assertThat(compressed.length).isLessThan(plain.length / 10);
		assertThat(this.codec.decode(compressed, type(String.class)).value()).isEqualTo(tenKib);
	}

	@Test
	void payloadThatCompressionWouldGrowIsStoredPlainEvenOverTheThreshold() {
		byte[] bytes = codec(new CodecSettings(0, 1_048_576, 16_777_216)).encode("ab", null, 1L);
		assertThat(bytes[3] & Envelope.FLAG_COMPRESSED).isZero();
		assertThat(this.codec.decode(bytes, null).value()).isEqualTo("ab");
	}

	@Test
	void valueWhoseJsonExceedsMaxDecompressedSizeCannotBeEncoded() {
		CacheValueCodec small = codec(new CodecSettings(0, 1_000, 10_000));
		assertThatExceptionOfType(CodecException.class).isThrownBy(() -> small.encode("z".repeat(20_000), null, 1L))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RejectReason.OVERSIZED))
			.withMessageContaining("maxDecompressedSize of 10000");
	}

	@Test
	void decompressionBombIsOversizedWithoutAllocatingItsContent() {
		byte[] bomb = envelope(Envelope.FLAG_COMPRESSED, "java.lang.String", SIXTY_FOUR_MIB, bombFrame);
		this.codec.decode(bomb, null); // warm up: class loading and the native library
										// are not the point
		long before = allocatedBytes();
		Decoded decoded = this.codec.decode(bomb, null);
		long allocated = allocatedBytes() - before;
		assertThat(decoded.rejectReason()).isEqualTo(RejectReason.OVERSIZED);
		assertThat(decoded.detail()).contains("maxDecompressedSize of 16777216");
		assertThat(allocated).isLessThan(2 * 1024 * 1024);
	}

	@Test
	void allocationMeasurementSeesADecompressionWithinTheLimit() {
		int eightMib = 8 * 1024 * 1024;
		byte[] zeros = envelope(Envelope.FLAG_COMPRESSED, "java.lang.String", eightMib,
				Zstd.compress(new byte[eightMib], 3));
		this.codec.decode(zeros, null);
		long before = allocatedBytes();
		Decoded decoded = this.codec.decode(zeros, null);
		long allocated = allocatedBytes() - before;
		assertThat(before).as("thread allocation measurement is supported").isPositive();
		assertThat(decoded.rejectReason()).as("zeros are not JSON").isEqualTo(RejectReason.CORRUPT);
		assertThat(allocated).isGreaterThanOrEqualTo(eightMib);
	}

	@Test
	void bombBehindAHeaderThatUnderstatesItsSizeIsOversizedWithoutAllocatingIt() {
		byte[] lying = envelope(Envelope.FLAG_COMPRESSED, "java.lang.String", 1_000, bombFrame);
		this.codec.decode(lying, null);
		long before = allocatedBytes();
		Decoded decoded = this.codec.decode(lying, type(String.class));
		long allocated = allocatedBytes() - before;
		assertThat(decoded.rejectReason()).isEqualTo(RejectReason.OVERSIZED);
		assertThat(decoded.detail()).contains("zstd frame content size " + SIXTY_FOUR_MIB);
		assertThat(allocated).isLessThan(2 * 1024 * 1024);
	}

	@Test
	void headerThatDisagreesWithTheFrameIsCorrupt() {
		byte[] json = ("\"" + "b".repeat(5_000) + "\"").getBytes(StandardCharsets.UTF_8);
		byte[] frame = Zstd.compress(json, 3);
		for (int declared : new int[] { 100, json.length - 1, json.length + 1, 10_000 }) {
			Decoded decoded = this.codec.decode(envelope(Envelope.FLAG_COMPRESSED, "java.lang.String", declared, frame),
					null);
			assertThat(decoded.rejectReason()).as("declared %d", declared).isEqualTo(RejectReason.CORRUPT);
			assertThat(decoded.detail()).contains("disagrees with the zstd frame content size " + json.length);
		}
		Decoded honest = this.codec.decode(envelope(Envelope.FLAG_COMPRESSED, "java.lang.String", json.length, frame),
				null);
		assertThat(honest.value()).isEqualTo("b".repeat(5_000));
	}

	@Test
	void frameWithoutContentSizeIsCorrupt() throws IOException {
		byte[] json = ("\"" + "c".repeat(2_000) + "\"").getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ZstdOutputStream zstd = new ZstdOutputStream(out)) {
			zstd.write(json);
		}
		byte[] streamed = out.toByteArray();
		Decoded decoded = this.codec
			.decode(envelope(Envelope.FLAG_COMPRESSED, "java.lang.String", json.length, streamed), null);
		assertThat(decoded.rejectReason()).isEqualTo(RejectReason.CORRUPT);
		assertThat(decoded.detail()).isEqualTo("zstd frame does not record its content size");
	}

	@Test
	void trailingBytesOrASecondFrameAreCorrupt() {
		byte[] json = "\"dd\"".getBytes(StandardCharsets.UTF_8);
		byte[] frame = Zstd.compress(json, 3);
		byte[] twoFrames = concat(frame, frame);
		byte[] trailing = concat(frame, new byte[] { 1, 2, 3 });
		for (byte[] payload : new byte[][] { twoFrames, trailing }) {
			Decoded decoded = this.codec
				.decode(envelope(Envelope.FLAG_COMPRESSED, "java.lang.String", json.length, payload), null);
			assertThat(decoded.rejectReason()).isEqualTo(RejectReason.CORRUPT);
		}
	}

	@Test
	void compressedFlagOnPlainJsonOrATruncatedFrameIsCorrupt() {
		byte[] json = "\"plain\"".getBytes(StandardCharsets.UTF_8);
		Decoded plain = this.codec.decode(envelope(Envelope.FLAG_COMPRESSED, "java.lang.String", json.length, json),
				null);
		assertThat(plain.rejectReason()).isEqualTo(RejectReason.CORRUPT);
		byte[] frame = Zstd.compress(("\"" + "e".repeat(3_000) + "\"").getBytes(StandardCharsets.UTF_8), 3);
		byte[] truncated = Arrays.copyOf(frame, frame.length - 3);
		Decoded cut = this.codec.decode(envelope(Envelope.FLAG_COMPRESSED, "java.lang.String", 3_002, truncated), null);
		assertThat(cut.rejectReason()).isEqualTo(RejectReason.CORRUPT);
	}

	@Test
	void nonPositiveDeclaredLengthIsCorrupt() {
		byte[] frame = Zstd.compress("\"x\"".getBytes(StandardCharsets.UTF_8), 3);
		for (int declared : new int[] { 0, -1, Integer.MIN_VALUE }) {
			Decoded decoded = this.codec.decode(envelope(Envelope.FLAG_COMPRESSED, "java.lang.String", declared, frame),
					null);
			assertThat(decoded.rejectReason()).as("declared %d", declared).isEqualTo(RejectReason.CORRUPT);
		}
	}

	private static long allocatedBytes() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
