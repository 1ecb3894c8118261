package io.github.optimization.cache.redis;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.optimization.cache.MethodKey;

import org.springframework.cache.interceptor.SimpleKey;

/**
 * Turns a cache key object into an unambiguous string: two different keys never encode to
 * the same string, so {@code ("a, b", "c")} and {@code ("a", "b, c")} stay apart.
 *
 * <p>Rules: a {@link String} is written as is, with {@code \ # , ( )} escaped by a
 * backslash (so string keys stay readable and can be matched by a pattern); every other
 * type starts with {@code #} and a type tag: {@code #i} integral numbers, {@code #d}
 * decimals, {@code #b} booleans, {@code #u} UUIDs, {@code #e} enums, {@code #m} a method
 * identity, {@code #(...)} a composite (arrays, collections, {@link SimpleKey},
 * {@link MethodKey} arguments), {@code #null}, and {@code #o} plus the class name and a
 * canonical JSON form (properties and map keys sorted) for anything else. Encodings longer
 * than {@link #MAX_PLAIN_LENGTH} characters are replaced by {@code #h} and the SHA-256 of
 * the full encoding.
 *
 * <p>Thread-safe.
 */
public final class CacheKeyEncoder {

	/** Longest encoding kept in clear; longer ones are hashed. */
	public static final int MAX_PLAIN_LENGTH = 200;

	private static final ObjectMapper CANONICAL = JsonMapper.builder()
		.addModule(new JavaTimeModule())
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
		else if (key instanceof Integer || key instanceof Long || key instanceof Short || key instanceof Byte
				|| key instanceof BigInteger) {
			sb.append("#i").append(key);
		}
		else if (key instanceof Double || key instanceof Float) {
			sb.append("#d").append(key);
		}
		else if (key instanceof BigDecimal decimal) {
			sb.append("#d").append(decimal.toPlainString());
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
		else if (key instanceof MethodKey mk) {
			sb.append("#m");
			appendEscaped(sb, mk.method());
			appendComposite(sb, mk.args());
		}
		else if (key instanceof SimpleKey simple) {
			appendComposite(sb, simpleKeyParams(simple));
		}
		else if (key instanceof Object[] array) {
			appendComposite(sb, array);
		}
		else if (key.getClass().isArray()) {
			Object[] boxed = new Object[Array.getLength(key)];
			for (int i = 0; i < boxed.length; i++) {
				boxed[i] = Array.get(key, i);
			}
			appendComposite(sb, boxed);
		}
		else if (key instanceof Collection<?> collection) {
			appendComposite(sb, collection.toArray());
		}
		else {
			sb.append("#o");
			appendEscaped(sb, key.getClass().getName());
			sb.append('#');
			appendEscaped(sb, canonicalJson(key));
		}
	}

	private static void appendComposite(StringBuilder sb, Object[] parts) {
		sb.append("#(");
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
