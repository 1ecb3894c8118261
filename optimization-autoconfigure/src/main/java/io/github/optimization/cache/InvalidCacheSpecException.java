package io.github.optimization.cache;

import io.github.optimization.InvalidSettingException;

/**
 * A cache setting is out of range. The message names the property to change.
 */
public class InvalidCacheSpecException extends InvalidSettingException {

	/**
	 * Create an exception.
	 * @param property the full property name, e.g.
	 * {@code optimization.cache.caches.users.ttl}
	 * @param problem what is wrong with it
	 */
	public InvalidCacheSpecException(String property, String problem) {
		super(property, problem);
	}

}
