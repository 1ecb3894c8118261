package io.github.optimization.cache.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

/**
 * Encodes cache values to the bytes stored in the second-level cache, and decodes those
 * bytes, which are untrusted, back into values.
 *
 * <h2>Security</h2> Java serialization is never used. Jackson default typing is never
 * enabled (a mapper with it enabled is refused). A class named in the bytes is loaded
 * only after the {@link TypeAllowList} accepted its name; this holds for the stored type
 * descriptor, for {@code @JsonTypeInfo} class ids and for {@code Class}/{@code JavaType}
 * properties. Every problem with the bytes is a {@linkplain Decoded#rejected rejection},
 * never an exception.
 *
 * <h2>Format (version 1)</h2> <pre>
 * offset  size  field
 * 0       2     magic C0 DE (never AC ED, '{' or '['; C0 never starts valid UTF-8 text)
 * 2       1     format version, 1
 * 3       1     flags: 0x01 compressed, 0x02 cached null; other bits, or both, are corrupt
 * 4       8     expiresAt, epoch milliseconds, big-endian
 * 12      2     n, length of the type descriptor, unsigned big-endian, at most 512
 * 14      n     type descriptor: Jackson canonical type, UTF-8 (empty for a cached null)
 * 14+n    4     uncompressed payload length, big-endian, only when compressed
 * ...     rest  payload: JSON, or one zstd frame of it that records its content size;
 *               empty for a cached null
 * </pre>
 *
 * <h2>Decoding rules</h2>
 * <ul>
 * <li>Not starting with the magic (including JDK-serialized bytes, plain JSON and input
 * shorter than the magic): {@link RejectReason#FOREIGN}.</li>
 * <li>Longer than {@link CodecSettings#maxValueSize()}, or declaring (in the envelope or
 * in the zstd frame) more than {@link CodecSettings#maxDecompressedSize()}:
 * {@link RejectReason#OVERSIZED}, decided before anything is decompressed.</li>
 * <li>Truncated header, unknown version or flags, a compressed payload that is not
 * exactly one zstd frame of the declared size, JSON that does not bind (unknown
 * properties included, with {@link #defaultObjectMapper()}):
 * {@link RejectReason#CORRUPT}.</li>
 * <li>When the expected type is concrete (not {@code Object}, not abstract save the
 * standard collection and map interfaces, and likewise for its contents) the JSON is
 * bound to it and the stored descriptor is ignored: the declared type is the contract.
 * Otherwise the descriptor must pass {@link TypeAllowList#isAllowedCanonical(String)}
 * and, if an expected type was given, fit it; else {@link RejectReason#TYPE}.</li>
 * </ul>
 *
 * <p>
 * Instances are immutable and thread-safe.
 */
public final class CacheValueCodec {

	private static final byte[] EMPTY = new byte[0];

	private final ObjectMapper mapper;

	private final CodecSettings settings;

	private final StoredTypeResolver storedTypes;

	/**
	 * Creates a codec. The mapper is copied, so later changes to it have no effect; the
	 * copy gets a polymorphic type validator and {@code Class}/{@code JavaType}
	 * deserializers backed by the allow-list, and fails on trailing tokens.
	 * @param objectMapper the mapper whose modules and features shape the JSON, typically
	 * {@link #defaultObjectMapper()}; must support {@link ObjectMapper#copy()}
	 * @param settings the size limits
	 * @param allowList the classes that stored type descriptors may name
	 * @throws NullPointerException if an argument is {@code null}
	 * @throws IllegalArgumentException if the mapper has default typing enabled
	 * @throws IllegalStateException if the mapper is a subclass that does not support
	 * copying
	 */
	public CacheValueCodec(ObjectMapper objectMapper, CodecSettings settings, TypeAllowList allowList) {
		Objects.requireNonNull(objectMapper, "objectMapper must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		Objects.requireNonNull(allowList, "allowList must not be null");
		JavaType object = objectMapper.constructType(Object.class);
		if (objectMapper.getDeserializationConfig().getDefaultTyper(object) != null
				|| objectMapper.getSerializationConfig().getDefaultTyper(object) != null) {
			throw new IllegalArgumentException("objectMapper must not have default typing enabled: "
					+ "it lets untrusted bytes choose the classes to instantiate");
		}
		ObjectMapper copy = objectMapper.copy();
		copy.setPolymorphicTypeValidator(new AllowListTypeValidator(allowList));
		copy.registerModule(new AllowListModule(allowList));
		copy.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.mapper = copy;
		this.storedTypes = new StoredTypeResolver(allowList, copy.getTypeFactory());
	}

	/**
	 * A new mapper suited to cached values: no default typing; {@code JavaTimeModule},
	 * {@code Jdk8Module} and {@code ParameterNamesModule}; dates as ISO-8601 strings that
	 * keep their offset and zone; unknown properties and trailing tokens fail, so that a
	 * class that changed since the value was written reads as a miss rather than as a
	 * half-filled object.
	 * @return a new, independently configurable mapper; never {@code null}
	 */
	public static ObjectMapper defaultObjectMapper() {
		return JsonMapper.builder()
			.addModule(new JavaTimeModule())
			.addModule(new Jdk8Module())
			.addModule(new ParameterNamesModule())
			.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
			.enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
			.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			// A computed getter (getFullName() with no field or setter) is not written,
			// so
			// values with one can be read back while unknown properties still fail.
			.enable(MapperFeature.REQUIRE_SETTERS_FOR_GETTERS)
			.build();
	}

	/**
	 * The limits this codec enforces.
	 * @return the settings; never {@code null}
	 */
	public CodecSettings settings() {
		return this.settings;
	}

	/**
	 * Encodes a value with its expiry.
	 * <p>
	 * The stored type descriptor is {@code declaredType} when that is concrete; otherwise
	 * the type derived from the runtime value ({@code java.util.List<E>},
	 * {@code java.util.Set<E>}, {@code java.util.Map<K,V>} with the common element
	 * classes, else the value's class) when it fits {@code declaredType}; otherwise
	 * {@code declaredType}. The allow-list is not consulted: it guards reading only.
	 * @param value the value; {@code null} encodes a cached null
	 * @param declaredType the type callers will read the value as, or {@code null} if
	 * unknown
	 * @param expiresAtEpochMillis when the entry expires, stored as is
	 * @return the encoded bytes, at most {@link CodecSettings#maxValueSize()} long
	 * @throws CodecException {@link RejectReason#OVERSIZED} if the JSON exceeds
	 * {@code maxDecompressedSize} or the result exceeds {@code maxValueSize};
	 * {@link RejectReason#CORRUPT} if Jackson cannot serialize the value;
	 * {@link RejectReason#TYPE} if the type descriptor exceeds 512 bytes. Messages name
	 * the value's class, never the value.
	 */
	public byte[] encode(Object value, JavaType declaredType, long expiresAtEpochMillis) throws CodecException {
		if (value == null) {
			requireWithinMaxValueSize(Envelope.FIXED_HEADER_LENGTH, "a cached null");
			return Envelope.write(Envelope.FLAG_NULL, expiresAtEpochMillis, EMPTY, 0, EMPTY);
		}
		String valueClass = value.getClass().getName();
		JavaType type = storedType(value, declaredType);
		byte[] descriptor = type.toCanonical().getBytes(StandardCharsets.UTF_8);
		if (descriptor.length > Envelope.MAX_DESCRIPTOR_LENGTH) {
			throw new CodecException(RejectReason.TYPE, "The type descriptor of a value of class " + valueClass + " is "
					+ descriptor.length + " bytes, over the limit of " + Envelope.MAX_DESCRIPTOR_LENGTH);
		}
		byte[] json = serialize(value, type, valueClass);
		if (json.length > this.settings.maxDecompressedSize()) {
			throw new CodecException(RejectReason.OVERSIZED,
					"A value of class " + valueClass + " serializes to " + json.length
							+ " bytes of JSON, over maxDecompressedSize of " + this.settings.maxDecompressedSize());
		}
		int flags = 0;
		byte[] payload = json;
		if (json.length > this.settings.compressionThreshold()) {
			byte[] compressed = Compression.compress(json);
			if (compressed.length < json.length) {
				payload = compressed;
				flags = Envelope.FLAG_COMPRESSED;
			}
		}
		int length = Envelope.FIXED_HEADER_LENGTH + descriptor.length + ((flags != 0) ? 4 : 0) + payload.length;
		requireWithinMaxValueSize(length, "a value of class " + valueClass);
		return Envelope.write(flags, expiresAtEpochMillis, descriptor, json.length, payload);
	}

	private JavaType storedType(Object value, JavaType declaredType) {
		if (JavaTypes.isConcrete(declaredType)) {
			return declaredType;
		}
		JavaType derived = JavaTypes.derive(value, this.mapper.getTypeFactory());
		return JavaTypes.isAssignable(declaredType, derived) ? derived : declaredType;
	}

	private byte[] serialize(Object value, JavaType type, String valueClass) {
		try {
			return this.mapper.writerFor(type).writeValueAsBytes(value);
		}
		catch (JsonProcessingException | RuntimeException ex) {
			throw new CodecException(RejectReason.CORRUPT,
					"Jackson cannot serialize a value of class " + valueClass + " as " + type.toCanonical(), ex);
		}
	}

	private void requireWithinMaxValueSize(int length, String what) {
		if (length > this.settings.maxValueSize()) {
			throw new CodecException(RejectReason.OVERSIZED, "Encoding " + what + " takes " + length
					+ " bytes, over maxValueSize of " + this.settings.maxValueSize());
		}
	}

	/**
	 * Decodes untrusted bytes. Never throws: every problem with the bytes, and any
	 * unexpected failure while binding them, is returned as a rejection.
	 * @param bytes the bytes read from the store; {@code null} or empty is
	 * {@link RejectReason#FOREIGN}
	 * @param expectedType the type the caller will use the value as, or {@code null} to
	 * rely on the stored descriptor and the allow-list
	 * @return the value, a cached null, or a rejection with its reason; never
	 * {@code null}
	 */
	public Decoded decode(byte[] bytes, JavaType expectedType) {
		try {
			Envelope envelope = Envelope.read(bytes, this.settings);
			if (envelope.isNull()) {
				return Decoded.nullValue(envelope.expiresAtEpochMillis());
			}
			JavaType target = targetType(bytes, envelope, expectedType);
			return Decoded.value(bind(bytes, envelope, target), envelope.expiresAtEpochMillis());
		}
		catch (Rejection ex) {
			return ex.toDecoded();
		}
		catch (RuntimeException | StackOverflowError | LinkageError ex) {
			return Decoded.rejected(RejectReason.CORRUPT, "decoding failed with " + ex.getClass().getName());
		}
	}

	private JavaType targetType(byte[] bytes, Envelope envelope, JavaType expectedType) {
		if (JavaTypes.isConcrete(expectedType)) {
			return expectedType;
		}
		String descriptor = new String(bytes, envelope.descriptorOffset(), envelope.descriptorLength(),
				StandardCharsets.UTF_8);
		JavaType stored = this.storedTypes.resolve(descriptor);
		if (!JavaTypes.isAssignable(expectedType, stored)) {
			throw new Rejection(RejectReason.TYPE, "stored type " + StoredTypeResolver.printable(descriptor)
					+ " does not fit expected type " + expectedType.toCanonical());
		}
		return stored;
	}

	private Object bind(byte[] bytes, Envelope envelope, JavaType target) {
		byte[] json = bytes;
		int offset = envelope.payloadOffset();
		int length = envelope.payloadLength();
		if (envelope.isCompressed()) {
			json = Compression.decompress(bytes, offset, length, envelope.uncompressedLength(),
					this.settings.maxDecompressedSize());
			offset = 0;
			length = json.length;
		}
		Object value;
		try {
			value = this.mapper.readValue(json, offset, length, target);
		}
		catch (InvalidTypeIdException ex) {
			throw new Rejection(RejectReason.TYPE, "JSON carries a type id that is not allowed or not known" + path(ex)
					+ " for " + target.toCanonical());
		}
		catch (IOException ex) {
			throw new Rejection(RejectReason.CORRUPT, "payload does not bind to " + target.toCanonical() + " ("
					+ ex.getClass().getSimpleName() + path(ex) + ")");
		}
		if (value == null) {
			throw new Rejection(RejectReason.CORRUPT, "payload is JSON null but the entry is not a cached null");
		}
		return value;
	}

	/**
	 * Where binding failed, as property names: never the offending value, which may be
	 * sensitive.
	 */
	private static String path(IOException ex) {
		if (ex instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
			return " at " + StoredTypeResolver.printable(mapping.getPathReference());
		}
		return "";
	}

}
