package io.github.optimization.cache.key;

import io.github.optimization.cache.annotation.CachedLlmResponse;
import java.beans.PropertyDescriptor;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.Date;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.BaseStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;

import org.springframework.beans.BeanUtils;
import org.springframework.util.ReflectionUtils;

/**
 * A SHA-256 over a canonical encoding of values, so that equal requests hash equal
 * however they were built. What {@link CachedLlmResponse} keys on.
 *
 * <p>
 * Rules (each value starts with a tag of its kind, and every variable-length part is
 * length-prefixed, so no two different values share an encoding):
 * <ul>
 * <li>{@code null}; strings (any {@link CharSequence}) by their UTF-8 bytes; booleans and
 * characters.</li>
 * <li>Integers ({@code byte}, {@code short}, {@code int}, {@code long},
 * {@link BigInteger}, atomic ones) by value, whatever their Java type: {@code 1} and
 * {@code 1L} are equal. Decimals ({@code float}, {@code double}, {@link BigDecimal}) by
 * their shortest decimal form without trailing zeros: {@code 0.7f}, {@code 0.7d} and
 * {@code 0.70} are equal. An integer is never equal to a decimal or a string ({@code 1},
 * {@code 1.0} and {@code "1"} differ).</li>
 * <li>Enums by class and name; {@link UUID}, {@link URI}, {@link URL}, {@link Locale},
 * {@link Currency}, {@link Charset}, {@link ZoneId}, {@link Date}, {@link Class} and
 * every {@code java.time} value by class and text form.</li>
 * <li>Lists, arrays and other collections in order; sets and maps in sorted order of
 * their elements' and keys' encodings, so a {@code HashMap} and a {@code LinkedHashMap}
 * filled in another order are equal; {@code byte[]} as bytes; {@link Optional} by its
 * content; Jackson trees as maps, lists and values.</li>
 * <li>Records by class name and components in declaration order; other objects (beans) by
 * class name and readable properties sorted by name.</li>
 * </ul>
 * Refused, with a {@link NotCanonicalException} that names the path to the value:
 * streams, iterators, readers and other single-use sources, futures and publishers,
 * functions, JDK types not listed above, objects with no properties, cycles, and nesting
 * deeper than {@value #MAX_DEPTH}.
 *
 * <p>
 * Instances are not thread-safe; the static methods are.
 */
public final class CanonicalKey {

	/** Deepest nesting encoded; deeper values are refused. */
	public static final int MAX_DEPTH = 64;

	private static final List<Class<?>> SINGLE_USE = List.of(BaseStream.class, Iterator.class, Spliterator.class,
			java.io.InputStream.class, java.io.OutputStream.class, java.io.Reader.class, java.io.Writer.class,
			java.nio.channels.Channel.class, Future.class, CompletionStage.class, Thread.class, ClassLoader.class);

	private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

	/**
	 * Start a key with a scope, e.g. a method identity.
	 * @param scope the scope, never {@code null}
	 */
	public CanonicalKey(String scope) {
		writeString(this.out, scope);
	}

	/**
	 * Add a named value.
	 * @param name the value's name, used in the encoding and in error messages
	 * @param value the value, may be {@code null}
	 * @return this key
	 * @throws NotCanonicalException if the value has no canonical encoding
	 */
	public CanonicalKey add(String name, Object value) {
		writeString(this.out, name);
		new Encoder().encode(this.out, value, name, 0);
		return this;
	}

	/**
	 * The SHA-256 of everything added, in lowercase hex (64 characters).
	 * @return the digest
	 */
	public String sha256() {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(this.out.toByteArray()));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by the Java platform", ex);
		}
	}

	/**
	 * Why values of a declared type can never be encoded, or {@code null} if they can or
	 * if only the runtime value can tell (interfaces, abstract classes, {@code Object}).
	 * @param type the declared type
	 * @return the reason, or {@code null}
	 */
	public static String whyNotCanonical(Class<?> type) {
		String reason = singleUseReason(type);
		if (reason != null) {
			return reason;
		}
		if (type.isArray()) {
			return whyNotCanonical(type.getComponentType());
		}
		if (type.isPrimitive() || type.isInterface() || Modifier.isAbstract(type.getModifiers()) || type == Object.class
				|| isKnownValue(type) || type.isEnum() || type.isRecord() || Collection.class.isAssignableFrom(type)
				|| Map.class.isAssignableFrom(type) || Optional.class == type
				|| JsonNode.class.isAssignableFrom(type)) {
			return null;
		}
		if (isJdk(type)) {
			return type.getName() + " is a JDK type with no canonical form";
		}
		if (properties(type).isEmpty()) {
			return type.getName() + " has no properties (getters) to key on";
		}
		return null;
	}

	private static String singleUseReason(Class<?> type) {
		for (Class<?> refused : SINGLE_USE) {
			if (refused.isAssignableFrom(type)) {
				return type.getName() + " is a " + refused.getSimpleName()
						+ ", which cannot be read without consuming or running it";
			}
		}
		if (isPublisher(type)) {
			return type.getName() + " is a reactive Publisher, which cannot be read without subscribing";
		}
		if (type.getPackageName().equals("java.util.function") || Runnable.class.isAssignableFrom(type)
				|| java.util.concurrent.Callable.class.isAssignableFrom(type)) {
			return type.getName() + " is a function, which has no value to key on";
		}
		return null;
	}

	private static boolean isPublisher(Class<?> type) {
		for (Class<?> c = type; c != null; c = c.getSuperclass()) {
			if (c.getName().equals("org.reactivestreams.Publisher")) {
				return true;
			}
			for (Class<?> i : c.getInterfaces()) {
				if (isPublisher(i)) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean isJdk(Class<?> type) {
		String name = type.getName();
		return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
				|| name.startsWith("sun.") || name.startsWith("com.sun.");
	}

	private static boolean isKnownValue(Class<?> type) {
		return CharSequence.class.isAssignableFrom(type) || Number.class.isAssignableFrom(type) || type == Boolean.class
				|| type == Character.class || type == UUID.class || type == URI.class || type == URL.class
				|| type == Locale.class || type == Currency.class || Charset.class.isAssignableFrom(type)
				|| ZoneId.class.isAssignableFrom(type) || Date.class.isAssignableFrom(type) || type == Class.class
				|| type.getPackageName().equals("java.time");
	}

	private static List<PropertyDescriptor> properties(Class<?> type) {
		List<PropertyDescriptor> readable = new ArrayList<>();
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() != null && !"class".equals(property.getName())) {
				readable.add(property);
			}
		}
		readable.sort(Comparator.comparing(PropertyDescriptor::getName));
		return readable;
	}

	private static void writeString(ByteArrayOutputStream out, String text) {
		writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
	}

	private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
		writeInt(out, bytes.length);
		out.writeBytes(bytes);
	}

	private static void writeInt(ByteArrayOutputStream out, int value) {
		out.write(value >>> 24);
		out.write(value >>> 16);
		out.write(value >>> 8);
		out.write(value);
	}

	/**
	 * Encodes one value graph; tracks the objects on the current path to refuse cycles.
	 */
	private static final class Encoder {

		private final Map<Object, Boolean> onPath = new IdentityHashMap<>();

		void encode(ByteArrayOutputStream out, Object value, String path, int depth) {
			if (depth > MAX_DEPTH) {
				throw new NotCanonicalException(path, "it is nested more than " + MAX_DEPTH + " levels deep");
			}
			if (value == null) {
				out.write('N');
				return;
			}
			if (value instanceof CharSequence text) {
				out.write('S');
				writeString(out, text.toString());
				return;
			}
			if (value instanceof Boolean b) {
				out.write(b ? 'T' : 'F');
				return;
			}
			if (value instanceof Character c) {
				out.write('C');
				writeString(out, c.toString());
				return;
			}
			if (value instanceof Number number) {
				encodeNumber(out, number, path);
				return;
			}
			if (value instanceof Enum<?> e) {
				out.write('E');
				writeString(out, e.getDeclaringClass().getName());
				writeString(out, e.name());
				return;
			}
			if (isKnownValue(value.getClass())) {
				out.write('V');
				writeString(out, value.getClass().getName());
				writeString(out, valueText(value));
				return;
			}
			String reason = singleUseReason(value.getClass());
			if (reason != null) {
				throw new NotCanonicalException(path, reason);
			}
			if (value instanceof Optional<?> optional) {
				out.write('O');
				encode(out, optional.orElse(null), path, depth + 1);
				return;
			}
			if (value instanceof byte[] bytes) {
				out.write('B');
				writeBytes(out, bytes);
				return;
			}
			if (this.onPath.put(value, Boolean.TRUE) != null) {
				throw new NotCanonicalException(path, "it refers back to itself (a cycle)");
			}
			try {
				encodeComposite(out, value, path, depth);
			}
			finally {
				this.onPath.remove(value);
			}
		}

		private void encodeComposite(ByteArrayOutputStream out, Object value, String path, int depth) {
			if (value.getClass().isArray()) {
				int length = Array.getLength(value);
				out.write('L');
				writeInt(out, length);
				for (int i = 0; i < length; i++) {
					encode(out, Array.get(value, i), path + "[" + i + "]", depth + 1);
				}
			}
			else if (value instanceof Set<?> set) {
				out.write('U');
				writeSorted(out, encodeEach(set, path, depth));
			}
			else if (value instanceof Collection<?> collection) {
				out.write('L');
				writeInt(out, collection.size());
				int i = 0;
				for (Object element : collection) {
					encode(out, element, path + "[" + i++ + "]", depth + 1);
				}
			}
			else if (value instanceof Map<?, ?> map) {
				encodeMap(out, map, path, depth);
			}
			else if (value instanceof JsonNode node) {
				encodeJson(out, node, path, depth);
			}
			else if (value instanceof Iterable<?>) {
				throw new NotCanonicalException(path, value.getClass().getName()
						+ " is an Iterable but not a Collection, so reading it may consume it");
			}
			else if (value.getClass().isRecord()) {
				out.write('R');
				writeString(out, value.getClass().getName());
				RecordComponent[] components = value.getClass().getRecordComponents();
				writeInt(out, components.length);
				for (RecordComponent component : components) {
					writeString(out, component.getName());
					encode(out, read(component.getAccessor(), value, path), path + "." + component.getName(),
							depth + 1);
				}
			}
			else {
				encodeBean(out, value, path, depth);
			}
		}

		private void encodeMap(ByteArrayOutputStream out, Map<?, ?> map, String path, int depth) {
			List<byte[]> entries = new ArrayList<>(map.size());
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				ByteArrayOutputStream child = new ByteArrayOutputStream();
				String entryPath = path + "[" + entry.getKey() + "]";
				encode(child, entry.getKey(), entryPath, depth + 1);
				encode(child, entry.getValue(), entryPath, depth + 1);
				entries.add(child.toByteArray());
			}
			out.write('M');
			writeSorted(out, entries);
		}

		private void encodeJson(ByteArrayOutputStream out, JsonNode node, String path, int depth) {
			if (node.isObject()) {
				Map<String, JsonNode> fields = new java.util.HashMap<>();
				node.fields().forEachRemaining((field) -> fields.put(field.getKey(), field.getValue()));
				encodeMap(out, fields, path, depth);
			}
			else if (node.isArray()) {
				List<JsonNode> elements = new ArrayList<>();
				node.elements().forEachRemaining(elements::add);
				encode(out, elements, path, depth);
			}
			else if (node.isNull() || node.isMissingNode()) {
				encode(out, null, path, depth);
			}
			else if (node.isBoolean()) {
				encode(out, node.booleanValue(), path, depth);
			}
			else if (node.isNumber()) {
				encode(out, node.numberValue(), path, depth);
			}
			else if (node.isBinary()) {
				try {
					encode(out, node.binaryValue(), path, depth);
				}
				catch (java.io.IOException ex) {
					throw new NotCanonicalException(path, "its binary content cannot be read: " + ex.getMessage());
				}
			}
			else if (node instanceof POJONode pojo) {
				encode(out, pojo.getPojo(), path, depth + 1);
			}
			else {
				encode(out, node.asText(), path, depth);
			}
		}

		private void encodeBean(ByteArrayOutputStream out, Object value, String path, int depth) {
			Class<?> type = value.getClass();
			if (isJdk(type)) {
				throw new NotCanonicalException(path, type.getName() + " is a JDK type with no canonical form");
			}
			List<PropertyDescriptor> properties = properties(type);
			if (properties.isEmpty()) {
				throw new NotCanonicalException(path, type.getName() + " has no properties (getters) to key on");
			}
			out.write('P');
			writeString(out, type.getName());
			writeInt(out, properties.size());
			for (PropertyDescriptor property : properties) {
				writeString(out, property.getName());
				encode(out, read(property.getReadMethod(), value, path), path + "." + property.getName(), depth + 1);
			}
		}

		private List<byte[]> encodeEach(Collection<?> elements, String path, int depth) {
			List<byte[]> encoded = new ArrayList<>(elements.size());
			for (Object element : elements) {
				ByteArrayOutputStream child = new ByteArrayOutputStream();
				encode(child, element, path + "[]", depth + 1);
				encoded.add(child.toByteArray());
			}
			return encoded;
		}

		private static void writeSorted(ByteArrayOutputStream out, List<byte[]> parts) {
			parts.sort(Arrays::compareUnsigned);
			writeInt(out, parts.size());
			for (byte[] part : parts) {
				writeBytes(out, part);
			}
		}

		private static void encodeNumber(ByteArrayOutputStream out, Number number, String path) {
			if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte
					|| number instanceof BigInteger || number instanceof AtomicInteger
					|| number instanceof AtomicLong) {
				out.write('I');
				writeString(out, number.toString());
				return;
			}
			String text;
			if (number instanceof Double || number instanceof Float) {
				double d = number.doubleValue();
				if (Double.isNaN(d) || Double.isInfinite(d)) {
					out.write('X');
					writeString(out, Double.toString(d));
					return;
				}
				text = number.toString();
			}
			else if (number instanceof BigDecimal decimal) {
				text = decimal.toString();
			}
			else {
				throw new NotCanonicalException(path, number.getClass().getName() + " is a Number of unknown kind");
			}
			BigDecimal canonical = new BigDecimal(text).stripTrailingZeros();
			out.write('D');
			writeString(out, (canonical.signum() == 0) ? "0" : canonical.toString());
		}

		private static String valueText(Object value) {
			if (value instanceof java.sql.Timestamp timestamp) {
				// Its nanoseconds are not in getTime().
				return timestamp.toInstant().toString();
			}
			if (value instanceof Date date) {
				return Long.toString(date.getTime());
			}
			if (value instanceof Class<?> type) {
				return type.getName();
			}
			if (value instanceof URL url) {
				return url.toExternalForm();
			}
			if (value instanceof Locale locale) {
				return locale.toLanguageTag();
			}
			return value.toString();
		}

		private static Object read(Method accessor, Object target, String path) {
			try {
				ReflectionUtils.makeAccessible(accessor);
				return accessor.invoke(target);
			}
			catch (InvocationTargetException ex) {
				throw new NotCanonicalException(path,
						"reading " + accessor.getName() + "() threw " + ex.getTargetException());
			}
			catch (IllegalAccessException | RuntimeException ex) {
				throw new NotCanonicalException(path, "reading " + accessor.getName() + "() failed: " + ex);
			}
		}

	}

	/**
	 * Thrown when a value has no canonical encoding; names the path to it (e.g.
	 * {@code request.messages[2].body}) and why.
	 */
	public static final class NotCanonicalException extends IllegalArgumentException {

		private final String path;

		private final String reason;

		NotCanonicalException(String path, String reason) {
			super(path + ": " + reason);
			this.path = path;
			this.reason = reason;
		}

		/**
		 * The path to the refused value, starting with the name given to {@link #add}.
		 */
		public String getPath() {
			return this.path;
		}

		/** Why the value was refused. */
		public String getReason() {
			return this.reason;
		}

	}

}
