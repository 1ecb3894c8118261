package io.github.optimization.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SlowQueryText}.
 */
class SlowQueryTextTests {

	@Test
	void masksStringAndNumberLiterals() {
		assertThat(SlowQueryText.mask("SELECT * FROM users WHERE name = 'hunter2' AND age > 42 AND score < 1.5e-3"))
			.isEqualTo("SELECT * FROM users WHERE name = ? AND age > ? AND score < ?");
	}

	@Test
	void masksEscapedQuotesAndEscapeStrings() {
		assertThat(SlowQueryText.mask("SELECT 'it''s', E'a\\'b', x FROM t")).isEqualTo("SELECT ?, ?, x FROM t");
	}

	@Test
	void masksDollarQuotedStrings() {
		assertThat(SlowQueryText.mask("SELECT $$secret$$, $tag$more $$ secret$tag$ FROM t"))
			.isEqualTo("SELECT ?, ? FROM t");
	}

	@Test
	void keepsIdentifiersBindMarkersAndComments() {
		String sql = "SELECT t1.col_2, \"Weird 'name' 3\" FROM table1 t1 WHERE a = ? AND b = $1 -- note 'x'\n/* 7 */";
		assertThat(SlowQueryText.mask(sql)).isEqualTo(sql);
	}

	@Test
	void masksFunctionArguments() {
		assertThat(SlowQueryText.mask("SELECT pg_sleep(0.3)")).isEqualTo("SELECT pg_sleep(?)");
		assertThat(SlowQueryText.mask("SELECT .5, -7 LIMIT 10")).isEqualTo("SELECT ?, -? LIMIT ?");
	}

	@Test
	void unterminatedLiteralIsMaskedToTheEnd() {
		assertThat(SlowQueryText.mask("SELECT 'oops")).isEqualTo("SELECT ?");
	}

}
