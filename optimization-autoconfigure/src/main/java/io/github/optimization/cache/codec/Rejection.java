package io.github.optimization.cache.codec;

/**
 * Internal signal that a decoding stage refused the bytes. Stackless, so rejecting
 * hostile input costs no more than accepting good input; never escapes
 * {@link CacheValueCodec#decode}.
 */
final class Rejection extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final RejectReason reason;

	Rejection(RejectReason reason, String detail) {
		super(detail, null, false, false);
		this.reason = reason;
	}

	Decoded toDecoded() {
		return Decoded.rejected(this.reason, getMessage());
	}

}
