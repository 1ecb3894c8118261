package io.github.optimization.cache.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link Decoded}, {@link RejectReason} and {@link CodecException}: the small types the
 * cache core consumes.
 */
class CodecResultTypesTests {

	@Test
	void tagValuesAreLowerCaseNames() {
		assertThat(RejectReason.FOREIGN.tagValue()).isEqualTo("foreign");
		assertThat(RejectReason.CORRUPT.tagValue()).isEqualTo("corrupt");
		assertThat(RejectReason.OVERSIZED.tagValue()).isEqualTo("oversized");
		assertThat(RejectReason.TYPE.tagValue()).isEqualTo("type");
	}

	@Test
	void valueCarriesValueAndExpiry() {
		Decoded decoded = Decoded.value("v", 42L);
		assertThat(decoded.isRejected()).isFalse();
		assertThat(decoded.isNull()).isFalse();
		assertThat(decoded.value()).isEqualTo("v");
		assertThat(decoded.expiresAtEpochMillis()).isEqualTo(42L);
		assertThatIllegalStateException().isThrownBy(decoded::rejectReason);
		assertThatIllegalStateException().isThrownBy(decoded::detail);
	}

	@Test
	void valueRefusesNull() {
		assertThatNullPointerException().isThrownBy(() -> Decoded.value(null, 1L)).withMessageContaining("nullValue");
	}

	@Test
	void nullValueIsNotARejection() {
		Decoded decoded = Decoded.nullValue(7L);
		assertThat(decoded.isNull()).isTrue();
		assertThat(decoded.isRejected()).isFalse();
		assertThat(decoded.value()).isNull();
		assertThat(decoded.expiresAtEpochMillis()).isEqualTo(7L);
	}

	@Test
	void rejectionHasReasonAndDetailButNoValue() {
		Decoded decoded = Decoded.rejected(RejectReason.TYPE, "not allowed");
		assertThat(decoded.isRejected()).isTrue();
		assertThat(decoded.isNull()).isFalse();
		assertThat(decoded.rejectReason()).isEqualTo(RejectReason.TYPE);
		assertThat(decoded.detail()).isEqualTo("not allowed");
		assertThatIllegalStateException().isThrownBy(decoded::value);
		assertThatIllegalStateException().isThrownBy(decoded::expiresAtEpochMillis);
	}

	@Test
	void toStringNamesTheClassNotTheValue() {
		assertThat(Decoded.value("secret-token", 1L).toString()).contains("java.lang.String")
			.doesNotContain("secret-token");
	}

	@Test
	void codecExceptionCarriesItsReason() {
		IllegalStateException cause = new IllegalStateException();
		CodecException ex = new CodecException(RejectReason.OVERSIZED, "too big", cause);
		assertThat(ex.reason()).isEqualTo(RejectReason.OVERSIZED);
		assertThat(ex).hasMessage("too big").hasCause(cause);
		assertThatNullPointerException().isThrownBy(() -> new CodecException(null, "m"));
	}

}
