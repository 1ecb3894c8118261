package io.github.optimization.cache.key;

import java.util.regex.Pattern;

/**
 * A pattern over string cache keys, for evicting many keys of one cache at once (e.g.
 * every key of user 42: {@code user:42:*}). {@code *} matches any run of characters,
 * {@code ?} one character, {@code \} makes the next character literal; everything else is
 * literal, including Redis's {@code [ ]} classes, so a pattern can never reach beyond its
 * cache.
 *
 * <p>
 * Keys that were hashed because they were long (see {@link CacheKeyEncoder}) and
 * non-string keys are not matched by literal text. Immutable and thread-safe.
 */
public final class KeyPattern {

	private final Pattern regex;

	private KeyPattern(Pattern regex) {
		this.regex = regex;
	}

	/**
	 * Compile a pattern.
	 * @param pattern the pattern; not {@code null} or empty
	 * @return the compiled pattern
	 * @throws IllegalArgumentException if the pattern is empty or ends with a lone
	 * backslash
	 */
	public static KeyPattern compile(String pattern) {
		StringBuilder regex = new StringBuilder();
		walk(pattern, new Sink() {
			@Override
			public void any() {
				regex.append(".*");
			}

			@Override
			public void one() {
				regex.append('.');
			}

			@Override
			public void literal(String encoded) {
				regex.append(Pattern.quote(encoded));
			}
		});
		return new KeyPattern(Pattern.compile(regex.toString(), Pattern.DOTALL));
	}

	/**
	 * Whether an encoded key matches.
	 * @param encodedKey a key as encoded by {@link CacheKeyEncoder#encode(Object)}
	 * @return whether it matches
	 */
	public boolean matches(String encodedKey) {
		return this.regex.matcher(encodedKey).matches();
	}

	static String toRedisGlob(String pattern) {
		StringBuilder glob = new StringBuilder();
		walk(pattern, new Sink() {
			@Override
			public void any() {
				glob.append('*');
			}

			@Override
			public void one() {
				glob.append('?');
			}

			@Override
			public void literal(String encoded) {
				glob.append(RedisKeyScheme.globEscape(encoded));
			}
		});
		return glob.toString();
	}

	private static void walk(String pattern, Sink sink) {
		if (pattern == null || pattern.isEmpty()) {
			throw new IllegalArgumentException("key pattern must not be empty");
		}
		StringBuilder literal = new StringBuilder();
		for (int i = 0; i < pattern.length(); i++) {
			char c = pattern.charAt(i);
			if (c == '\\') {
				if (i + 1 == pattern.length()) {
					throw new IllegalArgumentException("key pattern '" + pattern + "' ends with a lone backslash");
				}
				literal.append(pattern.charAt(++i));
			}
			else if (c == '*' || c == '?') {
				flush(literal, sink);
				if (c == '*') {
					sink.any();
				}
				else {
					sink.one();
				}
			}
			else {
				literal.append(c);
			}
		}
		flush(literal, sink);
	}

	private static void flush(StringBuilder literal, Sink sink) {
		if (literal.length() > 0) {
			sink.literal(CacheKeyEncoder.escape(literal.toString()));
			literal.setLength(0);
		}
	}

	private interface Sink {

		void any();

		void one();

		void literal(String encoded);

	}

}
