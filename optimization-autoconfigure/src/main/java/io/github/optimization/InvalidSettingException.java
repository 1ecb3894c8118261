package io.github.optimization;

/**
 * A setting of the starter is out of range. The message names the property, its value and
 * what it must be, such as {@code optimization.jdbc.pool.maximum-size must be at least 1,
 * was -1}.
 */
public class InvalidSettingException extends IllegalArgumentException {

	private final String property;

	/**
	 * Create an exception.
	 * @param property the full property name, e.g.
	 * {@code optimization.jdbc.pool.maximum-size}
	 * @param problem what is wrong with it: the allowed values and the value found
	 */
	public InvalidSettingException(String property, String problem) {
		super(property + " " + problem);
		this.property = property;
	}

	/** The full name of the offending property. */
	public String getProperty() {
		return this.property;
	}

}
