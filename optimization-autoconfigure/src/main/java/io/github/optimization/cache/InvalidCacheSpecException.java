package io.github.optimization.cache;

/**
 * A cache setting is out of range. The message names the property to change.
 */
public class InvalidCacheSpecException extends IllegalArgumentException {

	private final String property;

	/**
	 * Create an exception.
	 * @param property the full property name, e.g. {@code optimization.cache.caches.users.ttl}
	 * @param problem what is wrong with it
	 */
	public InvalidCacheSpecException(String property, String problem) {
		super(property + " " + problem);
		this.property = property;
	}

	/** The full name of the offending property. */
	public String getProperty() {
		return this.property;
	}

}
