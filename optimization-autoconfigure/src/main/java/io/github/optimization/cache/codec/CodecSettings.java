package io.github.optimization.cache.codec;

/**
 * Immutable, validated limits of a {@link CacheValueCodec}. Thread-safe.
 *
 * @param compressionThreshold JSON payloads longer than this many bytes are
 * zstd-compressed (and kept compressed only when that makes them smaller); {@code 0}
 * compresses every non-empty payload, {@link Integer#MAX_VALUE} never compresses. Must be
 * {@code >= 0}.
 * @param maxValueSize the largest byte array {@link CacheValueCodec#encode} produces and
 * {@link CacheValueCodec#decode} accepts, envelope included. Must be {@code > 0}.
 * @param maxDecompressedSize the largest JSON payload, after decompression, that is
 * encoded or decoded; checked against the size declared in the envelope before any
 * decompression. Must be {@code >= maxValueSize}.
 */
public record CodecSettings(int compressionThreshold, int maxValueSize, int maxDecompressedSize) {

	/** Default {@link #compressionThreshold()}: 1 KiB. */
	public static final int DEFAULT_COMPRESSION_THRESHOLD = 1024;

	/** Default {@link #maxValueSize()}: 1 MiB. */
	public static final int DEFAULT_MAX_VALUE_SIZE = 1_048_576;

	/** Default {@link #maxDecompressedSize()}: 16 MiB. */
	public static final int DEFAULT_MAX_DECOMPRESSED_SIZE = 16_777_216;

	/**
	 * Validates the settings.
	 * @param compressionThreshold JSON longer than this many bytes is compressed;
	 * {@code >= 0}
	 * @param maxValueSize the largest encoded value in bytes; {@code > 0}
	 * @param maxDecompressedSize the largest JSON payload in bytes;
	 * {@code >= maxValueSize}
	 * @throws IllegalArgumentException naming the offending component and its value when
	 * {@code compressionThreshold < 0}, {@code maxValueSize <= 0} or
	 * {@code maxDecompressedSize < maxValueSize}
	 */
	public CodecSettings {
		if (compressionThreshold < 0) {
			throw new IllegalArgumentException(
					"compressionThreshold must be >= 0 bytes but was " + compressionThreshold);
		}
		if (maxValueSize <= 0) {
			throw new IllegalArgumentException("maxValueSize must be > 0 bytes but was " + maxValueSize);
		}
		if (maxDecompressedSize < maxValueSize) {
			throw new IllegalArgumentException("maxDecompressedSize (" + maxDecompressedSize
					+ " bytes) must be >= maxValueSize (" + maxValueSize + " bytes)");
		}
	}

	/**
	 * The defaults: compress above 1 KiB, values up to 1 MiB, payloads up to 16 MiB once
	 * decompressed.
	 * @return the default settings; never {@code null}
	 */
	public static CodecSettings defaults() {
		return new CodecSettings(DEFAULT_COMPRESSION_THRESHOLD, DEFAULT_MAX_VALUE_SIZE, DEFAULT_MAX_DECOMPRESSED_SIZE);
	}

}
