package io.github.optimization.jdbc;

/**
 * The text of a slow statement as it is logged: string and number literals written into
 * the SQL itself replaced by {@code ?}, so values an application inlines (instead of
 * binding them as parameters) do not reach the log, and statements that differ only in
 * such values count as one. Quoted identifiers, comments and bind markers ({@code ?},
 * {@code $1}) are kept.
 * <p>
 * This is a lexer for the common SQL dialects, not a parser: standard and {@code E'...'}
 * strings, PostgreSQL dollar-quoted strings, and numbers not part of an identifier are
 * masked.
 */
final class SlowQueryText {

	private SlowQueryText() {
	}

	/**
	 * Return the given statement with its string and number literals masked.
	 * @param sql the statement as the application sent it
	 * @return the statement with every literal replaced by {@code ?}
	 */
	public static String mask(String sql) {
		StringBuilder out = new StringBuilder(sql.length());
		int length = sql.length();
		int i = 0;
		while (i < length) {
			char c = sql.charAt(i);
			if (c == '\'') {
				boolean escapes = dropEscapePrefix(out);
				i = skipString(sql, i + 1, escapes);
				out.append('?');
			}
			else if (c == '"') {
				int end = skipQuoted(sql, i + 1, '"');
				out.append(sql, i, end);
				i = end;
			}
			else if (c == '-' && next(sql, i) == '-') {
				int end = sql.indexOf('\n', i);
				end = (end < 0) ? length : end;
				out.append(sql, i, end);
				i = end;
			}
			else if (c == '/' && next(sql, i) == '*') {
				int end = sql.indexOf("*/", i + 2);
				end = (end < 0) ? length : end + 2;
				out.append(sql, i, end);
				i = end;
			}
			else if (c == '$' && !isIdentifierPart(previous(out))) {
				int end = skipDollarQuoted(sql, i);
				if (end > i) {
					out.append('?');
					i = end;
				}
				else {
					out.append(c);
					i++;
				}
			}
			else if (startsNumber(sql, i) && !isIdentifierPart(previous(out))) {
				i = skipNumber(sql, i);
				out.append('?');
			}
			else {
				out.append(c);
				i++;
			}
		}
		return out.toString();
	}

	/** Removes the {@code E} of an {@code E'...'} string; returns whether it was one. */
	private static boolean dropEscapePrefix(StringBuilder out) {
		int last = out.length() - 1;
		if (last >= 0 && (out.charAt(last) == 'E' || out.charAt(last) == 'e')
				&& !isIdentifierPart((last > 0) ? out.charAt(last - 1) : ' ')) {
			out.setLength(last);
			return true;
		}
		return false;
	}

	private static int skipString(String sql, int from, boolean backslashEscapes) {
		int i = from;
		while (i < sql.length()) {
			char c = sql.charAt(i);
			if (backslashEscapes && c == '\\') {
				i += 2;
			}
			else if (c == '\'') {
				if (next(sql, i) != '\'') {
					return i + 1;
				}
				i += 2;
			}
			else {
				i++;
			}
		}
		return sql.length();
	}

	private static int skipQuoted(String sql, int from, char quote) {
		int i = from;
		while (i < sql.length()) {
			if (sql.charAt(i) == quote) {
				if (next(sql, i) != quote) {
					return i + 1;
				}
				i += 2;
			}
			else {
				i++;
			}
		}
		return sql.length();
	}

	/**
	 * The end of a {@code $tag$...$tag$} string starting at {@code from}, or
	 * {@code from}.
	 */
	private static int skipDollarQuoted(String sql, int from) {
		int i = from + 1;
		while (i < sql.length() && (Character.isLetter(sql.charAt(i)) || sql.charAt(i) == '_'
				|| (i > from + 1 && Character.isDigit(sql.charAt(i))))) {
			i++;
		}
		if (i >= sql.length() || sql.charAt(i) != '$') {
			return from;
		}
		String tag = sql.substring(from, i + 1);
		int end = sql.indexOf(tag, i + 1);
		return (end < 0) ? sql.length() : end + tag.length();
	}

	private static boolean startsNumber(String sql, int i) {
		char c = sql.charAt(i);
		return Character.isDigit(c) || (c == '.' && Character.isDigit(next(sql, i)));
	}

	private static int skipNumber(String sql, int from) {
		int i = from;
		while (i < sql.length()) {
			char c = sql.charAt(i);
			boolean exponentSign = (c == '+' || c == '-') && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E');
			if (!Character.isLetterOrDigit(c) && c != '.' && c != '_' && !exponentSign) {
				break;
			}
			i++;
		}
		return i;
	}

	private static char next(String sql, int i) {
		return (i + 1 < sql.length()) ? sql.charAt(i + 1) : ' ';
	}

	private static char previous(StringBuilder out) {
		return (out.length() > 0) ? out.charAt(out.length() - 1) : ' ';
	}

	private static boolean isIdentifierPart(char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == '$';
	}

}
