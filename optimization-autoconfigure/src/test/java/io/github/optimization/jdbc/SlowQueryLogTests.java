package io.github.optimization.jdbc;

import java.time.Duration;
import java.util.List;

import net.ttddyy.dsproxy.QueryInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SlowQueryLog}.
 */
@ExtendWith(OutputCaptureExtension.class)
class SlowQueryLogTests {

	private static final Duration ELAPSED = Duration.ofMillis(300);

	private static final Duration THRESHOLD = Duration.ofMillis(100);

	@Test
	void statementsDifferingOnlyInLiteralsAreLoggedOnce(CapturedOutput output) {
		SlowQueryLog log = new SlowQueryLog(false);
		log.slow("pool", ELAPSED, THRESHOLD, List.of(new QueryInfo("SELECT * FROM t WHERE id = 1")));
		log.slow("pool", ELAPSED, THRESHOLD, List.of(new QueryInfo("SELECT * FROM t WHERE id = 2")));
		assertThat(output).containsOnlyOnce("SELECT * FROM t WHERE id = ?").doesNotContain("id = 1");
	}

	@Test
	void statementIsLoggedOnOneLine(CapturedOutput output) {
		new SlowQueryLog(false).slow("pool", ELAPSED, THRESHOLD,
				List.of(new QueryInfo("SELECT a,\n\t\tb\r\nFROM t\n")));
		assertThat(output).contains("SELECT a, b FROM t").doesNotContain("\tb");
	}

	@Test
	void stopsLoggingNewStatementsWhenFull(CapturedOutput output) {
		SlowQueryLog log = new SlowQueryLog(false, 2);
		for (int i = 0; i < 5; i++) {
			log.slow("pool", ELAPSED, THRESHOLD, List.of(new QueryInfo("SELECT c" + i + " FROM t")));
		}
		log.slow("pool", ELAPSED, THRESHOLD, List.of(new QueryInfo("SELECT c0 FROM t")));
		assertThat(output).contains("SELECT c0 FROM t", "SELECT c1 FROM t")
			.doesNotContain("SELECT c2 FROM t", "SELECT c3 FROM t", "SELECT c4 FROM t")
			.containsOnlyOnce("logged 2 distinct statements");
	}

	@Test
	void logsTheTextAsSentWhenParametersAreAskedFor(CapturedOutput output) {
		new SlowQueryLog(true).slow("pool", ELAPSED, THRESHOLD,
				List.of(new QueryInfo("SELECT * FROM t WHERE name = 'visible'")));
		assertThat(output).contains("SELECT * FROM t WHERE name = 'visible'");
	}

}
