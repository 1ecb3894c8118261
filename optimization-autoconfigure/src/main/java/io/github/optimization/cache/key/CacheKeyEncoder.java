package io.github.optimization.cache.key;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.springframework.cache.interceptor.SimpleKey;

/**
 * Turns a cache key object into an unambiguous string: two different keys never encode to
 * the same string, so {@code ("a, b", "c")} and {@code ("a", "b, c")} stay apart.
 *
 * <p>
 * Rules: a {@link String} is written as is, with {@code \ # , ( )} escaped by a backslash
 * (so string keys stay readable and can be matched by a pattern); every other type starts
 * with {@code #} and a tag of its own, so keys that differ in Java never share a Redis
 * key: {@code #l} Long, {@code #i} Integer, {@code #w} Short, {@code #y} Byte, {@code #n}
 * BigInteger, {@code #d} Double, {@code #f} Float, {@code #x} BigDecimal (with its
 * scale), {@code #b} Boolean, {@code #c} Character, {@code #u} UUID, {@code #e} enum,
 * {@code #m} a method identity, {@code #(...)} a {@link SimpleKey} or {@link MethodKey}'s
 * arguments, {@code #A(...)} an array, {@code #L(...)} a list, {@code #S(...)} a set
 * (sorted), {@code #M} a map, {@code #null}, and {@code #o} plus the class name and a
 * canonical JSON form (fields and properties, sorted) for anything else; an object with
 * no properties is refused. Encodings longer than {@link #MAX_PLAIN_LENGTH} characters
 * are replaced by {@code #h} and the SHA-256 of the full encoding.
 *
 * <p>
 * Thread-safe.
 */
public final class CacheKeyEncoder {

	/** Longest encoding kept in clear; longer ones are hashed. */
	public static final int MAX_PLAIN_LENGTH = 200;

	private static final ObjectMapper CANONICAL = JsonMapper.builder()
		.addModule(new JavaTimeModule())
		.visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
		.enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
		.build();

	private static final Field SIMPLE_KEY_PARAMS = simpleKeyParamsField();

	private CacheKeyEncoder() {
	}

	/**
	 * Encode a key.
	 * @param key the key, may be {@code null}
	 * @return the unambiguous encoding, at most {@link #MAX_PLAIN_LENGTH} characters or a
	 * {@code #h}-prefixed digest
	 * @throws IllegalArgumentException if the key is an object that cannot be written as
	 * JSON
	 */
	public static String encode(Object key) {
		if (key instanceof String string && string.length() <= MAX_PLAIN_LENGTH && isPlain(string)) {
			return string;
		}
		StringBuilder sb = new StringBuilder(32);
		append(sb, key);
		if (sb.length() <= MAX_PLAIN_LENGTH) {
			return sb.toString();
		}
		return "#h" + sha256(sb);
	}

	/**
	 * Escape a literal so it can stand inside an encoded string key.
	 * @param literal the literal text
	 * @return the escaped form
	 */
	static String escape(String literal) {
		if (isPlain(literal)) {
			return literal;
		}
		StringBuilder sb = new StringBuilder(literal.length() + 8);
		appendEscaped(sb, literal);
		return sb.toString();
	}

	private static boolean isPlain(String s) {
		for (int i = 0; i < s.length(); i++) {
			if (isSpecial(s.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isSpecial(char c) {
		return c == '\\' || c == '#' || c == ',' || c == '(' || c == ')';
	}

	private static void appendEscaped(StringBuilder sb, String s) {
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (isSpecial(c)) {
				sb.append('\\');
			}
			sb.append(c);
		}
	}

	private static void append(StringBuilder sb, Object key) {
		if (key == null) {
			sb.append("#null");
		}
		else if (key instanceof String s) {
			appendEscaped(sb, s);
		}
		else if (!appendScalar(sb, key)) {
			appendStructured(sb, key);
		}
	}

	private static boolean appendScalar(StringBuilder sb, Object key) {
		if (key instanceof Long) {
			sb.append("#l").append(key);
		}
		else if (key instanceof Integer) {
			sb.append("#i").append(key);
		}
		else if (key instanceof Short) {
			sb.append("#w").append(key);
		}
		else if (key instanceof Byte) {
			sb.append("#y").append(key);
		}
		else if (key instanceof BigInteger) {
			sb.append("#n").append(key);
		}
		else if (key instanceof Double) {
			sb.append("#d").append(key);
		}
		else if (key instanceof Float) {
			sb.append("#f").append(key);
		}
		else if (key instanceof BigDecimal decimal) {
			// BigDecimal equality includes the scale (1.0 and 1.00 differ), so does this.
			sb.append("#x").append(decimal.unscaledValue()).append('e').append(decimal.scale());
		}
		else if (key instanceof Boolean) {
			sb.append("#b").append(key);
		}
		else if (key instanceof Character c) {
			sb.append("#c");
			appendEscaped(sb, c.toString());
		}
		else if (key instanceof UUID) {
			sb.append("#u").append(key);
		}
		else if (key instanceof Enum<?> e) {
			sb.append("#e");
			appendEscaped(sb, e.getDeclaringClass().getName() + "." + e.name());
		}
		else {
			return false;
		}
		return true;
	}

	private static void appendStructured(StringBuilder sb, Object key) {
		if (key instanceof MethodKey mk) {
			sb.append("#m");
			appendEscaped(sb, mk.method());
			appendComposite(sb, "#(", mk.args());
		}
		else if (key instanceof SimpleKey simple) {
			appendComposite(sb, "#(", simpleKeyParams(simple));
		}
		else if (key.getClass().isArray()) {
			Object[] boxed = new Object[Array.getLength(key)];
			for (int i = 0; i < boxed.length; i++) {
				boxed[i] = Array.get(key, i);
			}
			appendComposite(sb, "#A(", boxed);
		}
		else if (key instanceof List<?> list) {
			appendComposite(sb, "#L(", list.toArray());
		}
		else if (key instanceof Set<?> set) {
			appendSet(sb, set);
		}
		else if (key instanceof Map<?, ?> map) {
			sb.append("#M");
			appendEscaped(sb, canonicalJson(map));
		}
		else {
			appendObject(sb, key);
		}
	}

	private static void appendSet(StringBuilder sb, Set<?> set) {
		// Equal sets encode equally whatever their iteration order.
		String[] parts = new String[set.size()];
		int i = 0;
		for (Object element : set) {
			StringBuilder part = new StringBuilder();
			append(part, element);
			parts[i++] = part.toString();
		}
		Arrays.sort(parts);
		sb.append("#S(");
		for (int j = 0; j < parts.length; j++) {
			if (j > 0) {
				sb.append(',');
			}
			sb.append(parts[j]);
		}
		sb.append(')');
	}

	private static void appendObject(StringBuilder sb, Object key) {
		String json = canonicalJson(key);
		if ("{}".equals(json)) {
			throw new IllegalArgumentException("Cache key of type " + key.getClass().getName()
					+ " has no properties that tell keys apart; give it fields or getters, or use a key "
					+ "expression that yields strings, numbers or records");
		}
		sb.append("#o");
		appendEscaped(sb, key.getClass().getName());
		sb.append('#');
		appendEscaped(sb, json);
	}

	private static void appendComposite(StringBuilder sb, String open, Object[] parts) {
		sb.append(open);
		for (int i = 0; i < parts.length; i++) {
			if (i > 0) {
				sb.append(',');
			}
			append(sb, parts[i]);
		}
		sb.append(')');
	}

	private static Object[] simpleKeyParams(SimpleKey key) {
		// SimpleKey keeps its parameters private and its toString is ambiguous ("a, b" vs
		// "a", "b"), so the parameters are read directly.
		try {
			return (Object[]) SIMPLE_KEY_PARAMS.get(key);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalArgumentException("Cannot read the parameters of a SimpleKey", ex);
		}
	}

	private static Field simpleKeyParamsField() {
		try {
			Field field = SimpleKey.class.getDeclaredField("params");
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			throw new IllegalStateException("This Spring Framework version's SimpleKey has no 'params' field", ex);
		}
	}

	private static String canonicalJson(Object key) {
		Object value = (key instanceof Map<?, ?> map && !(map instanceof SortedMap<?, ?>)) ? new TreeMap<>(map) : key;
		try {
			return CANONICAL.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("Cache key of type " + key.getClass().getName()
					+ " cannot be encoded; use a key expression that yields strings, numbers or records", ex);
		}
	}

	private static String sha256(CharSequence text) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by the Java platform", ex);
		}
	}

}
