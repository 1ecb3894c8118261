package io.github.optimization.cache.key;

import java.beans.PropertyDescriptor;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;

import org.springframework.util.ReflectionUtils;

/**
 * Writes the canonical encoding of one value graph for {@link CanonicalKey}; tracks the
 * objects on the current path to refuse cycles. One instance per added value; not
 * thread-safe.
 */
final class CanonicalEncoder {

	private final Map<Object, Boolean> onPath = new IdentityHashMap<>();

	void encode(ByteArrayOutputStream out, Object value, String path, int depth) {
		if (depth > CanonicalKey.MAX_DEPTH) {
			throw new CanonicalKey.NotCanonicalException(path,
					"it is nested more than " + CanonicalKey.MAX_DEPTH + " levels deep");
		}
		if (encodeScalar(out, value, path)) {
			return;
		}
		String reason = CanonicalTypes.singleUseReason(value.getClass());
		if (reason != null) {
			throw new CanonicalKey.NotCanonicalException(path, reason);
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
			throw new CanonicalKey.NotCanonicalException(path, "it refers back to itself (a cycle)");
		}
		try {
			encodeComposite(out, value, path, depth);
		}
		finally {
			this.onPath.remove(value);
		}
	}

	/**
	 * Encodes {@code null} and the values with a text form of their own.
	 * @return whether the value was one of them
	 */
	private static boolean encodeScalar(ByteArrayOutputStream out, Object value, String path) {
		if (value == null) {
			out.write('N');
		}
		else if (value instanceof CharSequence text) {
			out.write('S');
			writeString(out, text.toString());
		}
		else if (value instanceof Boolean b) {
			out.write(b ? 'T' : 'F');
		}
		else if (value instanceof Character c) {
			out.write('C');
			writeString(out, c.toString());
		}
		else if (value instanceof Number number) {
			encodeNumber(out, number, path);
		}
		else if (value instanceof Enum<?> e) {
			out.write('E');
			writeString(out, e.getDeclaringClass().getName());
			writeString(out, e.name());
		}
		else if (CanonicalTypes.isKnownValue(value.getClass())) {
			out.write('V');
			writeString(out, value.getClass().getName());
			writeString(out, valueText(value));
		}
		else {
			return false;
		}
		return true;
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
			throw new CanonicalKey.NotCanonicalException(path,
					value.getClass().getName() + " is an Iterable but not a Collection, so reading it may consume it");
		}
		else if (value.getClass().isRecord()) {
			out.write('R');
			writeString(out, value.getClass().getName());
			RecordComponent[] components = value.getClass().getRecordComponents();
			writeInt(out, components.length);
			for (RecordComponent component : components) {
				writeString(out, component.getName());
				encode(out, read(component.getAccessor(), value, path), path + "." + component.getName(), depth + 1);
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
				throw new CanonicalKey.NotCanonicalException(path,
						"its binary content cannot be read: " + ex.getMessage());
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
		if (CanonicalTypes.isJdk(type)) {
			throw new CanonicalKey.NotCanonicalException(path,
					type.getName() + " is a JDK type with no canonical form");
		}
		List<PropertyDescriptor> properties = CanonicalTypes.properties(type);
		if (properties.isEmpty()) {
			throw new CanonicalKey.NotCanonicalException(path,
					type.getName() + " has no properties (getters) to key on");
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
				|| number instanceof BigInteger || number instanceof AtomicInteger || number instanceof AtomicLong) {
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
			throw new CanonicalKey.NotCanonicalException(path,
					number.getClass().getName() + " is a Number of unknown kind");
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
			throw new CanonicalKey.NotCanonicalException(path,
					"reading " + accessor.getName() + "() threw " + ex.getTargetException());
		}
		catch (IllegalAccessException | RuntimeException ex) {
			throw new CanonicalKey.NotCanonicalException(path, "reading " + accessor.getName() + "() failed: " + ex);
		}
	}

	static void writeString(ByteArrayOutputStream out, String text) {
		writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
	}

	static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
		writeInt(out, bytes.length);
		out.writeBytes(bytes);
	}

	static void writeInt(ByteArrayOutputStream out, int value) {
		out.write(value >>> 24);
		out.write(value >>> 16);
		out.write(value >>> 8);
		out.write(value);
	}

}
