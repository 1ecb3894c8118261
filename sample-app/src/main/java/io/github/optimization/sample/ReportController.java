package io.github.optimization.sample;

import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A deliberately slow SQL statement (H2 and PostgreSQL alike), to show slow-query
 * detection: with {@code optimization.jdbc.slow-query-threshold} at 200ms it is logged
 * once, with its parameter redacted, and every call is counted in
 * {@code optimization.jdbc.slow.queries}.
 */
@RestController
public class ReportController {

	private static final String COUNT_NUMBERS = """
			WITH RECURSIVE numbers(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM numbers WHERE n < ?)
			SELECT count(*) FROM numbers""";

	private final JdbcClient jdbc;

	public ReportController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/reports/slow")
	public Map<String, Long> slow() {
		long rows = this.jdbc.sql(COUNT_NUMBERS).param(1_000_000).query(Long.class).single();
		return Map.of("rows", rows);
	}

}
