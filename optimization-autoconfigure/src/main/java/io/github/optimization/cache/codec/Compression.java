package io.github.optimization.cache.codec;

import com.github.luben.zstd.Zstd;

/**
 * zstd compression of JSON payloads, with the checks that make decompressing untrusted
 * bytes safe: exactly one frame, a recorded content size that matches the envelope and
 * the limit, decompression into a buffer of exactly that size.
 */
final class Compression {

	/** zstd's default level: a good speed/ratio trade-off for small JSON documents. */
	static final int LEVEL = 3;

	private Compression() {
	}

	/**
	 * Compress a whole array into one zstd frame that records its content size.
	 * @param json the bytes to compress
	 * @return the frame
	 */
	static byte[] compress(byte[] json) {
		return Zstd.compress(json, LEVEL);
	}

	/**
	 * Decompress an untrusted payload.
	 * @param source the array holding the payload
	 * @param offset where the payload starts
	 * @param length its length, positive
	 * @param declaredLength the uncompressed length declared by the envelope, already
	 * checked to be positive and within {@code maxDecompressedSize}
	 * @param maxDecompressedSize the limit
	 * @return exactly {@code declaredLength} decompressed bytes
	 * @throws Rejection if the payload is not one well-formed frame of the declared size
	 */
	static byte[] decompress(byte[] source, int offset, int length, int declaredLength, int maxDecompressedSize) {
		long frameLength;
		long contentSize;
		try {
			frameLength = Zstd.findFrameCompressedSize(source, offset, length);
			contentSize = Zstd.getFrameContentSize(source, offset, length);
		}
		catch (RuntimeException ex) {
			throw new Rejection(RejectReason.CORRUPT, "payload is not a zstd frame");
		}
		if (frameLength != length) {
			throw new Rejection(RejectReason.CORRUPT, "payload is not exactly one zstd frame");
		}
		if (contentSize < 0) {
			// ZSTD_CONTENTSIZE_UNKNOWN or ZSTD_CONTENTSIZE_ERROR
			throw new Rejection(RejectReason.CORRUPT, "zstd frame does not record its content size");
		}
		if (contentSize > maxDecompressedSize) {
			throw new Rejection(RejectReason.OVERSIZED, "zstd frame content size " + contentSize
					+ " exceeds maxDecompressedSize of " + maxDecompressedSize);
		}
		if (contentSize != declaredLength) {
			throw new Rejection(RejectReason.CORRUPT, "declared uncompressed length " + declaredLength
					+ " disagrees with the zstd frame content size " + contentSize);
		}
		byte[] target = new byte[declaredLength];
		long written;
		try {
			written = Zstd.decompressByteArray(target, 0, declaredLength, source, offset, length);
		}
		catch (RuntimeException ex) {
			throw new Rejection(RejectReason.CORRUPT, "zstd frame cannot be decompressed");
		}
		if (written != declaredLength) {
			throw new Rejection(RejectReason.CORRUPT,
					"zstd frame decompressed to " + written + " bytes, " + declaredLength + " declared");
		}
		return target;
	}

}
