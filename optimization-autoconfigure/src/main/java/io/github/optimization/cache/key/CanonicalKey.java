package io.github.optimization.cache.key;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.nio.charset.Charset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A SHA-256 over a canonical encoding of values, so that equal requests hash equal
 * however they were built. What {@code @CachedLlmResponse} keys on.
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

	private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

	/**
	 * Start a key with a scope, e.g. a method identity.
	 * @param scope the scope, never {@code null}
	 */
	public CanonicalKey(String scope) {
		CanonicalEncoder.writeString(this.out, scope);
	}

	/**
	 * Add a named value.
	 * @param name the value's name, used in the encoding and in error messages
	 * @param value the value, may be {@code null}
	 * @return this key
	 * @throws NotCanonicalException if the value has no canonical encoding
	 */
	public CanonicalKey add(String name, Object value) {
		CanonicalEncoder.writeString(this.out, name);
		new CanonicalEncoder().encode(this.out, value, name, 0);
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
		return CanonicalTypes.whyNotCanonical(type);
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