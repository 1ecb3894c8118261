package io.github.optimization.cache.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CodecSettingsTests {

	@Test
	void defaultsAreOneKibThresholdOneMibValuesSixteenMibDecompressed() {
		CodecSettings defaults = CodecSettings.defaults();
		assertThat(defaults.compressionThreshold()).isEqualTo(1024);
		assertThat(defaults.maxValueSize()).isEqualTo(1_048_576);
		assertThat(defaults.maxDecompressedSize()).isEqualTo(16_777_216);
	}

	@Test
	void acceptsBoundaryValues() {
		CodecSettings settings = new CodecSettings(0, 1, 1);
		assertThat(settings.compressionThreshold()).isZero();
		assertThat(settings.maxValueSize()).isEqualTo(1);
		assertThat(settings.maxDecompressedSize()).isEqualTo(1);
	}

	@Test
	void rejectsNegativeCompressionThreshold() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CodecSettings(-1, 100, 100))
			.withMessage("compressionThreshold must be >= 0 bytes but was -1");
	}

	@Test
	void rejectsNonPositiveMaxValueSize() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CodecSettings(0, 0, 100))
			.withMessage("maxValueSize must be > 0 bytes but was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> new CodecSettings(0, -5, 100))
			.withMessage("maxValueSize must be > 0 bytes but was -5");
	}

	@Test
	void rejectsMaxDecompressedSizeBelowMaxValueSize() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CodecSettings(0, 100, 99))
			.withMessage("maxDecompressedSize (99 bytes) must be >= maxValueSize (100 bytes)");
	}

}
