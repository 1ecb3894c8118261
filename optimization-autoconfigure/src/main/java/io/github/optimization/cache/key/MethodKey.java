package io.github.optimization.cache.key;

import java.util.Arrays;
import java.util.Objects;

/**
 * A cache key made of a method's identity and the arguments of one call: what
 * {@code @TieredCacheable} uses when it has no explicit key, so two methods with the same
 * arguments never share an entry.
 *
 * <p>
 * Immutable as long as the arguments are; equality is by method identity and deep
 * equality of the arguments. Instances are safe to share between threads.
 */
public final class MethodKey {

	private final String method;

	private final Object[] args;

	private final int hash;

	/**
	 * Create a key.
	 * @param method the method identity, e.g. {@code com.example.UserService#user(long)};
	 * never {@code null}
	 * @param args the call's arguments; the array is not copied, so callers pass a copy
	 * they will not change
	 */
	public MethodKey(String method, Object[] args) {
		this.method = Objects.requireNonNull(method, "method");
		this.args = Objects.requireNonNull(args, "args");
		this.hash = 31 * method.hashCode() + Arrays.deepHashCode(args);
	}

	/** The method identity. */
	public String method() {
		return this.method;
	}

	/** The arguments (a shared array: do not change it). */
	public Object[] args() {
		return this.args;
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof MethodKey that)) {
			return false;
		}
		return this.hash == that.hash && this.method.equals(that.method) && Arrays.deepEquals(this.args, that.args);
	}

	@Override
	public int hashCode() {
		return this.hash;
	}

	@Override
	public String toString() {
		return this.method + Arrays.deepToString(this.args);
	}

}
