package io.github.optimization.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Clob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs each slow statement once: the first time a statement text is slow it is logged at
 * {@code WARN}, later slow executions of the same text are only counted. Texts are
 * compared after their literals are masked ({@link SlowQueryText}) and their white space
 * collapsed (a statement is one log line), so statements that differ only in inlined
 * values or layout are one statement.
 * <p>
 * Memory is bounded: a 128-bit digest of at most {@value #REMEMBERED_STATEMENTS} texts is
 * remembered; once that many distinct texts were logged, new ones are counted only (and
 * that is said once).
 * <p>
 * Parameter values are never logged unless asked for: by default a line says how many
 * parameters were bound, and the SQL text is logged with its literals masked. With
 * parameters asked for, the line has the text as sent and every bound value.
 */
class SlowQueryLog {

	/** How many distinct statement texts are remembered (and so logged) at most. */
	public static final int REMEMBERED_STATEMENTS = 10_000;

	private static final int MAX_SQL_LENGTH = 4_000;

	private static final int MAX_VALUE_LENGTH = 200;

	private static final int MAX_PARAMETER_SETS = 10;

	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	private static final Log logger = LogFactory.getLog(SlowQueryLog.class);

	private final boolean logParameters;

	private final int capacity;

	private final Set<UUID> logged = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean full = new AtomicBoolean();

	/**
	 * Create a log that remembers up to {@value #REMEMBERED_STATEMENTS} statement texts.
	 * @param logParameters whether lines include the bound values and unmasked SQL
	 */
	public SlowQueryLog(boolean logParameters) {
		this(logParameters, REMEMBERED_STATEMENTS);
	}

	SlowQueryLog(boolean logParameters, int capacity) {
		this.logParameters = logParameters;
		this.capacity = capacity;
	}

	/**
	 * Log the statements of one slow execution whose text was not logged before.
	 * @param pool the name of the pool the statement ran on
	 * @param elapsed how long the execution took
	 * @param threshold the slow-query threshold
	 * @param queries the statements of the execution (several for a batch)
	 */
	public void slow(String pool, Duration elapsed, Duration threshold, List<QueryInfo> queries) {
		if (!logger.isWarnEnabled()) {
			return;
		}
		for (QueryInfo query : queries) {
			String sql = oneLine((query.getQuery() != null) ? query.getQuery() : "");
			String masked = SlowQueryText.mask(sql);
			if (firstTime(masked)) {
				logger.warn(line(pool, elapsed, threshold, this.logParameters ? sql : masked, query));
			}
		}
	}

	private boolean firstTime(String maskedSql) {
		UUID digest = UUID.nameUUIDFromBytes(maskedSql.getBytes(StandardCharsets.UTF_8));
		if (this.logged.contains(digest)) {
			return false;
		}
		if (this.logged.size() >= this.capacity) {
			if (this.full.compareAndSet(false, true)) {
				logger.warn("Slow-query log has logged " + this.capacity
						+ " distinct statements; new slow statements are counted but no longer logged");
			}
			return false;
		}
		return this.logged.add(digest);
	}

	private String line(String pool, Duration elapsed, Duration threshold, String sql, QueryInfo query) {
		StringBuilder line = new StringBuilder();
		line.append("Slow SQL statement on pool '").append(pool).append("': ").append(elapsed.toMillis());
		line.append(" ms (threshold ").append(threshold.toMillis()).append(" ms; logged once, later ones counted): ");
		line.append(abbreviate(sql, MAX_SQL_LENGTH));
		List<List<ParameterSetOperation>> sets = query.getParametersList();
		if (this.logParameters) {
			appendParameters(line, sets);
		}
		else {
			int count = sets.stream().mapToInt(this::countValues).sum();
			if (count > 0) {
				line.append(" [").append(count).append((count != 1) ? " parameters" : " parameter");
				line.append(" redacted]");
			}
		}
		return line.toString();
	}

	private int countValues(List<ParameterSetOperation> set) {
		return (int) set.stream().filter((op) -> !ParameterSetOperation.isRegisterOutParameterOperation(op)).count();
	}

	private void appendParameters(StringBuilder line, List<List<ParameterSetOperation>> sets) {
		if (sets.isEmpty()) {
			return;
		}
		line.append(" parameters ");
		for (int i = 0; i < Math.min(sets.size(), MAX_PARAMETER_SETS); i++) {
			line.append(values(sets.get(i)));
		}
		if (sets.size() > MAX_PARAMETER_SETS) {
			line.append(" (and ").append(sets.size() - MAX_PARAMETER_SETS).append(" more sets)");
		}
	}

	private List<String> values(List<ParameterSetOperation> set) {
		List<ParameterSetOperation> ordered = new ArrayList<>(set);
		ordered.removeIf(ParameterSetOperation::isRegisterOutParameterOperation);
		ordered.sort(Comparator.comparing((op) -> String.valueOf(op.getArgs()[0]), SlowQueryLog::compareIndexes));
		List<String> values = new ArrayList<>(ordered.size());
		for (ParameterSetOperation op : ordered) {
			Object[] args = op.getArgs();
			Object value = ParameterSetOperation.isSetNullParameterOperation(op) || args.length < 2 ? null : args[1];
			values.add(args[0] + "=" + describe(value));
		}
		return values;
	}

	private static int compareIndexes(String left, String right) {
		try {
			return Integer.compare(Integer.parseInt(left), Integer.parseInt(right));
		}
		catch (NumberFormatException ex) {
			return left.compareTo(right);
		}
	}

	private static String describe(Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof byte[] bytes) {
			return "byte[" + bytes.length + "]";
		}
		if (value instanceof InputStream || value instanceof Reader || value instanceof Blob || value instanceof Clob) {
			return value.getClass().getSimpleName();
		}
		return abbreviate(String.valueOf(value), MAX_VALUE_LENGTH);
	}

	/**
	 * Line breaks and runs of white space become one space: one statement, one log line.
	 */
	private static String oneLine(String sql) {
		return WHITESPACE.matcher(sql).replaceAll(" ").strip();
	}

	private static String abbreviate(String text, int max) {
		return (text.length() <= max) ? text
				: text.substring(0, max) + "... (" + (text.length() - max) + " more characters)";
	}

}
