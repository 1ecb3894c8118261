package io.github.optimization.benchmarks;

import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Prints the read-path ratios of a JMH result file ({@code -rf json}) of
 * {@link ReadLatency} run with {@code -prof gc}: every L1 row against Spring's
 * {@code @Cacheable} with its default key, every L2 row against the raw Lettuce GET plus
 * JSON decode, in time and in allocation per read. Used by
 * {@code benchmarks/run-read-path.sh}.
 *
 * <p>
 * A ratio's error is propagated to first order from the two rows' errors (JMH's 99.9%
 * confidence intervals): {@code r * sqrt((ea/a)^2 + (eb/b)^2)}.
 */
public final class ReadPathReport {

	private static final String ALLOCATION = "gc.alloc.rate.norm";

	private static final List<String> L1_ROWS = List.of("l1_rawCaffeine", "l1_springCacheable",
			"l1_springCacheableKeyId", "l1_tieredCacheable", "l1_tieredCacheableKeyId");

	private static final List<String> L2_ROWS = List.of("l2_rawLettuceGetDecode", "l2_springCacheable",
			"l2_tieredCacheable");

	private ReadPathReport() {
	}

	/**
	 * Print the report.
	 * @param args the JMH result file
	 * @throws IOException if the file cannot be read
	 */
	public static void main(String[] args) throws IOException {
		if (args.length != 1) {
			System.err.println("Usage: ReadPathReport <jmh-result.json>");
			System.exit(2);
		}
		Map<String, JsonNode> rows = new LinkedHashMap<>();
		for (JsonNode result : new ObjectMapper().readTree(new File(args[0]))) {
			String name = result.path("benchmark").asText();
			rows.put(name.substring(name.lastIndexOf('.') + 1), result);
		}
		System.out.printf(Locale.ROOT, "%-26s %26s %22s %20s %16s%n", "row", "time", "allocation", "time ratio",
				"alloc ratio");
		report(rows, L1_ROWS, "l1_springCacheable");
		report(rows, L2_ROWS, "l2_rawLettuceGetDecode");
		System.out.println("Ratios: row / reference of the same block (first: l1_springCacheable, Spring's "
				+ "default key; second: l2_rawLettuceGetDecode). Errors: 99.9% CI, propagated to first order.");
	}

	private static void report(Map<String, JsonNode> rows, List<String> names, String reference) {
		JsonNode base = rows.get(reference);
		System.out.println("-- reference: " + reference);
		for (String name : names) {
			JsonNode row = rows.get(name);
			if (row == null) {
				System.out.printf(Locale.ROOT, "%-26s (not in the result)%n", name);
				continue;
			}
			Metric time = Metric.of(row.path("primaryMetric"));
			Metric allocation = Metric.of(row.path("secondaryMetrics").path(ALLOCATION));
			String timeRatio = "";
			String allocationRatio = "";
			if (name.equals(reference)) {
				timeRatio = "1 (reference)";
				allocationRatio = "1 (reference)";
			}
			else if (base != null) {
				timeRatio = time.ratio(Metric.of(base.path("primaryMetric")));
				allocationRatio = allocation.ratio(Metric.of(base.path("secondaryMetrics").path(ALLOCATION)));
			}
			System.out.printf(Locale.ROOT, "%-26s %26s %22s %20s %16s%n", name, time.format(time.unit),
					allocation.format("B/op"), timeRatio, allocationRatio);
		}
	}

	private record Metric(double score, double error, String unit) {

		static Metric of(JsonNode node) {
			if (node.isMissingNode()) {
				return new Metric(Double.NaN, Double.NaN, "");
			}
			return new Metric(node.path("score").asDouble(Double.NaN), node.path("scoreError").asDouble(Double.NaN),
					node.path("scoreUnit").asText(""));
		}

		String format(String unit) {
			if (Double.isNaN(this.score)) {
				return "-";
			}
			return String.format(Locale.ROOT, "%.1f ± %.1f %s", this.score, this.error, unit);
		}

		String ratio(Metric reference) {
			if (Double.isNaN(this.score) || Double.isNaN(reference.score) || reference.score == 0) {
				return "-";
			}
			double ratio = this.score / reference.score;
			if (this.score == 0 || Double.isNaN(this.error) || Double.isNaN(reference.error)) {
				return String.format(Locale.ROOT, "%.3f", ratio);
			}
			double relative = Math
				.sqrt(Math.pow(this.error / this.score, 2) + Math.pow(reference.error / reference.score, 2));
			return String.format(Locale.ROOT, "%.3f ± %.3f", ratio, ratio * relative);
		}

	}

}
