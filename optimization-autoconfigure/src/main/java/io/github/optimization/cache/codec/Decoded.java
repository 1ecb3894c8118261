package io.github.optimization.cache.codec;

import java.util.Objects;

/**
 * The outcome of {@link CacheValueCodec#decode}: a value, a cached {@code null}, or a
 * rejection.
 *
 * <p>
 * Immutable and thread-safe. The boolean queries never throw; an accessor that belongs to
 * the other outcome throws {@link IllegalStateException}, so a rejection can never be
 * mistaken for a cached {@code null}. {@link #toString()} names the value's class, never
 * the value.
 */
public final class Decoded {

	private final Object value;

	private final boolean nullValue;

	private final long expiresAtEpochMillis;

	private final RejectReason rejectReason;

	private final String detail;

	private Decoded(Object value, boolean nullValue, long expiresAtEpochMillis, RejectReason rejectReason,
			String detail) {
		this.value = value;
		this.nullValue = nullValue;
		this.expiresAtEpochMillis = expiresAtEpochMillis;
		this.rejectReason = rejectReason;
		this.detail = detail;
	}

	/**
	 * A decoded non-null value.
	 * @param value the value; not {@code null} (use {@link #nullValue(long)} for a cached
	 * null)
	 * @param expiresAtEpochMillis when the entry expires, as stored by the writer
	 * @return the outcome; never {@code null}
	 * @throws NullPointerException if {@code value} is {@code null}
	 */
	public static Decoded value(Object value, long expiresAtEpochMillis) {
		Objects.requireNonNull(value, "value must not be null; use Decoded.nullValue for a cached null");
		return new Decoded(value, false, expiresAtEpochMillis, null, null);
	}

	/**
	 * A cached {@code null}: the loader returned {@code null} and the cache stored that
	 * fact.
	 * @param expiresAtEpochMillis when the entry expires, as stored by the writer
	 * @return the outcome; never {@code null}
	 */
	public static Decoded nullValue(long expiresAtEpochMillis) {
		return new Decoded(null, true, expiresAtEpochMillis, null, null);
	}

	/**
	 * Bytes that were refused.
	 * @param reason why; not {@code null}
	 * @param detail a short, log-safe explanation (never the payload itself); not
	 * {@code null}
	 * @return the outcome; never {@code null}
	 * @throws NullPointerException if an argument is {@code null}
	 */
	public static Decoded rejected(RejectReason reason, String detail) {
		Objects.requireNonNull(reason, "reason must not be null");
		Objects.requireNonNull(detail, "detail must not be null");
		return new Decoded(null, false, 0L, reason, detail);
	}

	/**
	 * Whether the bytes were refused; the cache treats this as a miss.
	 * @return {@code true} for a rejection
	 */
	public boolean isRejected() {
		return this.rejectReason != null;
	}

	/**
	 * Why the bytes were refused.
	 * @return the reason; never {@code null}
	 * @throws IllegalStateException if this is not a rejection
	 */
	public RejectReason rejectReason() {
		requireRejected();
		return this.rejectReason;
	}

	/**
	 * A short, log-safe explanation of the rejection.
	 * @return the detail; never {@code null}
	 * @throws IllegalStateException if this is not a rejection
	 */
	public String detail() {
		requireRejected();
		return this.detail;
	}

	/**
	 * Whether this is a cached {@code null}.
	 * @return {@code true} for a cached null; {@code false} for a value or a rejection
	 */
	public boolean isNull() {
		return this.nullValue;
	}

	/**
	 * The decoded value.
	 * @return the value, or {@code null} for a {@linkplain #isNull() cached null}
	 * @throws IllegalStateException if this is a rejection
	 */
	public Object value() {
		requireNotRejected();
		return this.value;
	}

	/**
	 * When the entry expires, in epoch milliseconds, as written by the encoder.
	 * @return the expiry
	 * @throws IllegalStateException if this is a rejection
	 */
	public long expiresAtEpochMillis() {
		requireNotRejected();
		return this.expiresAtEpochMillis;
	}

	private void requireRejected() {
		if (this.rejectReason == null) {
			throw new IllegalStateException("Not a rejection: " + this);
		}
	}

	private void requireNotRejected() {
		if (this.rejectReason != null) {
			throw new IllegalStateException("Rejected bytes have no value: " + this);
		}
	}

	@Override
	public String toString() {
		if (this.rejectReason != null) {
			return "Decoded[rejected " + this.rejectReason.tagValue() + ": " + this.detail + "]";
		}
		String what = this.nullValue ? "null" : this.value.getClass().getName();
		return "Decoded[" + what + ", expiresAt=" + this.expiresAtEpochMillis + "]";
	}

}
