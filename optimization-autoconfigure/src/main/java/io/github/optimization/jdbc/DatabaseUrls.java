package io.github.optimization.jdbc;

import java.util.regex.Pattern;

/**
 * Safe descriptions of JDBC URLs for log lines: the database product, host, port and
 * database, never credentials.
 */
final class DatabaseUrls {

	private static final Pattern PASSWORD = Pattern.compile("(?i)(password|pwd)=[^&;\\s]*");

	private DatabaseUrls() {
	}

	/**
	 * Describes a JDBC URL without what may hold credentials: the {@code jdbc:} prefix,
	 * user information before an {@code @} and everything after {@code ?} or {@code ;}
	 * (where drivers take properties such as {@code password}).
	 * <p>
	 * {@code jdbc:postgresql://u:secret@db.example:5432/orders?password=x} becomes
	 * {@code postgresql://db.example:5432/orders}.
	 * @param jdbcUrl the URL, may be {@code null}
	 * @return the description
	 */
	public static String describe(String jdbcUrl) {
		if (jdbcUrl == null || jdbcUrl.isBlank()) {
			return "(no URL)";
		}
		String url = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
		int end = indexOfAny(url, '?', ';');
		if (end >= 0) {
			url = url.substring(0, end);
		}
		int at = url.lastIndexOf('@');
		if (at >= 0) {
			int colon = url.indexOf(':');
			String product = (colon >= 0 && colon < at) ? url.substring(0, colon) : "";
			String location = url.substring(at + 1);
			while (location.startsWith("/")) {
				location = location.substring(1);
			}
			url = product + "://" + location;
		}
		return url;
	}

	/**
	 * Removes a password from a message, such as a driver's exception message that quotes
	 * the URL: the given password wherever it appears, and any {@code password=} value.
	 * @param message the message, may be {@code null}
	 * @param password the password, may be {@code null}
	 * @return the message without the password
	 */
	public static String redact(String message, String password) {
		if (message == null) {
			return null;
		}
		String redacted = message;
		if (password != null && !password.isEmpty()) {
			redacted = redacted.replace(password, "******");
		}
		return PASSWORD.matcher(redacted).replaceAll("$1=******");
	}

	private static int indexOfAny(String text, char first, char second) {
		int a = text.indexOf(first);
		int b = text.indexOf(second);
		if (a < 0) {
			return b;
		}
		return (b < 0) ? a : Math.min(a, b);
	}

}
