package io.github.optimization.cache.codec;

import java.util.Objects;

/**
 * Thrown by {@link CacheValueCodec#encode} when a value cannot be stored: its encoded
 * form is larger than {@link CodecSettings#maxValueSize()}
 * ({@link RejectReason#OVERSIZED}), Jackson cannot serialize it
 * ({@link RejectReason#CORRUPT}), or its type cannot be described
 * ({@link RejectReason#TYPE}).
 *
 * <p>
 * Decoding never throws this exception: it returns a {@linkplain Decoded#rejected
 * rejection} instead. Messages name the value's class, never the value itself, so that
 * they are safe to log.
 */
public class CodecException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final RejectReason reason;

	/**
	 * Creates an exception without a cause.
	 * @param reason why the value was refused; not {@code null}
	 * @param message what was refused and why; not {@code null}
	 * @throws NullPointerException if {@code reason} or {@code message} is {@code null}
	 */
	public CodecException(RejectReason reason, String message) {
		this(reason, message, null);
	}

	/**
	 * Creates an exception with a cause.
	 * @param reason why the value was refused; not {@code null}
	 * @param message what was refused and why; not {@code null}
	 * @param cause the underlying failure, may be {@code null}
	 * @throws NullPointerException if {@code reason} or {@code message} is {@code null}
	 */
	public CodecException(RejectReason reason, String message, Throwable cause) {
		super(Objects.requireNonNull(message, "message must not be null"), cause);
		this.reason = Objects.requireNonNull(reason, "reason must not be null");
	}

	/**
	 * Why the value was refused.
	 * @return the reason; never {@code null}
	 */
	public RejectReason reason() {
		return this.reason;
	}

}
