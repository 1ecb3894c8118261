package io.github.optimization.cache.codec;

import java.util.Locale;

/**
 * Why {@link CacheValueCodec#decode} refused a byte array, or why
 * {@link CacheValueCodec#encode} refused a value.
 *
 * <p>
 * The cache turns every rejection into a miss and counts it under {@link #tagValue()}, so
 * the constants are deliberately coarse: they tell an operator which kind of problem to
 * look for, the {@linkplain Decoded#detail() detail} tells a developer where.
 *
 * <p>
 * Immutable and thread-safe, like every enum.
 */
public enum RejectReason {

	/**
	 * The bytes were not written by this codec: wrong or missing magic (JDK
	 * serialization, plain JSON, text...).
	 */
	FOREIGN,

	/**
	 * The bytes start like ours but are damaged: truncated header, unknown version or
	 * flags, bad zstd frame, bad JSON.
	 */
	CORRUPT,

	/** The bytes, or what they would decompress to, exceed the configured limits. */
	OVERSIZED,

	/**
	 * The stored type is not allowed by the {@link TypeAllowList}, or does not fit the
	 * expected type.
	 */
	TYPE;

	private final String tagValue = name().toLowerCase(Locale.ROOT);

	/**
	 * The lower-case name of this reason, stable across releases, for metric tags and
	 * logs.
	 * @return for example {@code "foreign"}; never {@code null}
	 */
	public String tagValue() {
		return this.tagValue;
	}

}
