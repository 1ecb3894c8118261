package io.github.optimization.cache.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The binary layout of an encoded cache value; see {@link CacheValueCodec} for the
 * format. Parsing works on offsets into the caller's array and copies nothing.
 *
 * @param flags the flags byte
 * @param expiresAtEpochMillis the stored expiry
 * @param descriptorOffset where the UTF-8 type descriptor starts
 * @param descriptorLength its length in bytes
 * @param uncompressedLength the declared JSON length of a compressed payload, else
 * {@code -1}
 * @param payloadOffset where the payload starts
 * @param payloadLength its length in bytes, up to the end of the array
 */
record Envelope(int flags, long expiresAtEpochMillis, int descriptorOffset, int descriptorLength,
		int uncompressedLength, int payloadOffset, int payloadLength) {

	static final byte MAGIC_0 = (byte) 0xC0;

	static final byte MAGIC_1 = (byte) 0xDE;

	static final byte VERSION = 1;

	static final int FLAG_COMPRESSED = 0x01;

	static final int FLAG_NULL = 0x02;

	static final int KNOWN_FLAGS = FLAG_COMPRESSED | FLAG_NULL;

	/** Magic (2) + version (1) + flags (1) + expiresAt (8) + descriptor length (2). */
	static final int FIXED_HEADER_LENGTH = 14;

	static final int MAX_DESCRIPTOR_LENGTH = 512;

	private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

	private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

	private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

	boolean isNull() {
		return (this.flags & FLAG_NULL) != 0;
	}

	boolean isCompressed() {
		return (this.flags & FLAG_COMPRESSED) != 0;
	}

	/**
	 * Assemble an envelope.
	 * @param flags the flags
	 * @param expiresAtEpochMillis the expiry
	 * @param descriptor the UTF-8 type descriptor, at most {@link #MAX_DESCRIPTOR_LENGTH}
	 * bytes
	 * @param uncompressedLength the JSON length, written only when compressed
	 * @param payload the payload, written whole
	 */
	static byte[] write(int flags, long expiresAtEpochMillis, byte[] descriptor, int uncompressedLength,
			byte[] payload) {
		boolean compressed = (flags & FLAG_COMPRESSED) != 0;
		byte[] out = new byte[FIXED_HEADER_LENGTH + descriptor.length + (compressed ? 4 : 0) + payload.length];
		out[0] = MAGIC_0;
		out[1] = MAGIC_1;
		out[2] = VERSION;
		out[3] = (byte) flags;
		LONG.set(out, 4, expiresAtEpochMillis);
		SHORT.set(out, 12, (short) descriptor.length);
		int position = FIXED_HEADER_LENGTH;
		System.arraycopy(descriptor, 0, out, position, descriptor.length);
		position += descriptor.length;
		if (compressed) {
			INT.set(out, position, uncompressedLength);
			position += 4;
		}
		System.arraycopy(payload, 0, out, position, payload.length);
		return out;
	}

	/**
	 * Parse and check the header of untrusted bytes.
	 * @param bytes the bytes read from the store, possibly {@code null}
	 * @param settings the limits
	 * @return the parsed envelope
	 * @throws Rejection if the bytes are foreign, corrupt or oversized
	 */
	static Envelope read(byte[] bytes, CodecSettings settings) {
		if (bytes == null || bytes.length < 2 || bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
			throw new Rejection(RejectReason.FOREIGN, describeForeign(bytes));
		}
		if (bytes.length > settings.maxValueSize()) {
			throw new Rejection(RejectReason.OVERSIZED,
					bytes.length + " bytes exceed maxValueSize of " + settings.maxValueSize());
		}
		if (bytes.length < FIXED_HEADER_LENGTH) {
			throw truncated(bytes.length, FIXED_HEADER_LENGTH);
		}
		if (bytes[2] != VERSION) {
			throw new Rejection(RejectReason.CORRUPT, "unsupported format version " + (bytes[2] & 0xFF));
		}
		int flags = bytes[3] & 0xFF;
		if ((flags & ~KNOWN_FLAGS) != 0 || flags == KNOWN_FLAGS) {
			throw new Rejection(RejectReason.CORRUPT, "invalid flags 0x" + Integer.toHexString(flags));
		}
		long expiresAt = (long) LONG.get(bytes, 4);
		int descriptorLength = Short.toUnsignedInt((short) SHORT.get(bytes, 12));
		if (descriptorLength > MAX_DESCRIPTOR_LENGTH) {
			throw new Rejection(RejectReason.CORRUPT,
					"type descriptor of " + descriptorLength + " bytes exceeds " + MAX_DESCRIPTOR_LENGTH);
		}
		int position = FIXED_HEADER_LENGTH + descriptorLength;
		if ((flags & FLAG_NULL) != 0) {
			if (descriptorLength != 0 || position != bytes.length) {
				throw new Rejection(RejectReason.CORRUPT, "a cached null carries a descriptor or payload");
			}
			return new Envelope(flags, expiresAt, position, 0, -1, position, 0);
		}
		if (descriptorLength == 0) {
			throw new Rejection(RejectReason.CORRUPT, "missing type descriptor");
		}
		int uncompressedLength = -1;
		if ((flags & FLAG_COMPRESSED) != 0) {
			if (bytes.length < position + 4) {
				throw truncated(bytes.length, position + 4);
			}
			uncompressedLength = (int) INT.get(bytes, position);
			position += 4;
			if (uncompressedLength <= 0) {
				throw new Rejection(RejectReason.CORRUPT, "invalid uncompressed length " + uncompressedLength);
			}
			if (uncompressedLength > settings.maxDecompressedSize()) {
				throw new Rejection(RejectReason.OVERSIZED, "declared uncompressed length " + uncompressedLength
						+ " exceeds maxDecompressedSize of " + settings.maxDecompressedSize());
			}
		}
		if (position >= bytes.length) {
			throw truncated(bytes.length, position + 1);
		}
		return new Envelope(flags, expiresAt, FIXED_HEADER_LENGTH, descriptorLength, uncompressedLength, position,
				bytes.length - position);
	}

	private static Rejection truncated(int length, int needed) {
		return new Rejection(RejectReason.CORRUPT, "truncated: " + length + " bytes, at least " + needed + " needed");
	}

	private static String describeForeign(byte[] bytes) {
		if (bytes == null || bytes.length == 0) {
			return "no bytes";
		}
		if (bytes.length >= 2 && bytes[0] == (byte) 0xAC && bytes[1] == (byte) 0xED) {
			return "JDK serialization stream (AC ED), never deserialized";
		}
		int first = bytes[0] & 0xFF;
		if (first == '{' || first == '[' || first == '"') {
			return "plain JSON without the codec header";
		}
		return "unknown format starting with 0x" + Integer.toHexString(first);
	}

}
