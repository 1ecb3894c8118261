package io.github.optimization.canary;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records which canary classes were initialized and whether a {@code readObject} ran.
 * Tests read these flags and never touch the canary classes themselves (a class literal
 * would load them).
 */
public final class CanaryFlags {

	/** Names of the canary classes whose static initializer ran. */
	public static final Set<String> INITIALIZED = ConcurrentHashMap.newKeySet();

	/** Names of the serializable canaries whose {@code readObject} ran. */
	public static final Set<String> READ_OBJECT_CALLED = ConcurrentHashMap.newKeySet();

	private CanaryFlags() {
	}

}
