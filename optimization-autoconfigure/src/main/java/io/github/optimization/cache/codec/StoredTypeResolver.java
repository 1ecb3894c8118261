package io.github.optimization.cache.codec;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;

import org.springframework.util.ConcurrentLruCache;

/**
 * Turns a type descriptor read from untrusted bytes into a {@link JavaType}: the
 * allow-list is consulted on the string first, and only then may Jackson load classes.
 * Resolved types are kept in a small LRU cache, which therefore only ever holds allowed
 * types. Thread-safe.
 */
final class StoredTypeResolver {

	static final int CACHE_CAPACITY = 256;

	private final TypeAllowList allowList;

	private final ConcurrentLruCache<String, JavaType> cache;

	StoredTypeResolver(TypeAllowList allowList, TypeFactory typeFactory) {
		this.allowList = allowList;
		this.cache = new ConcurrentLruCache<>(CACHE_CAPACITY, typeFactory::constructFromCanonical);
	}

	/**
	 * Resolve a descriptor.
	 * @param descriptor the canonical type string from the bytes
	 * @return the type
	 * @throws Rejection ({@link RejectReason#TYPE}) if the allow-list refuses a name in
	 * it or the named classes cannot be loaded
	 */
	JavaType resolve(String descriptor) {
		if (!this.allowList.isAllowedCanonical(descriptor)) {
			throw new Rejection(RejectReason.TYPE, "stored type not allowed: " + printable(descriptor));
		}
		try {
			return this.cache.get(descriptor);
		}
		catch (RuntimeException | LinkageError ex) {
			throw new Rejection(RejectReason.TYPE, "stored type cannot be resolved: " + printable(descriptor));
		}
	}

	/**
	 * The descriptor is untrusted: keep it short and free of control characters before it
	 * reaches a log.
	 */
	static String printable(String text) {
		int limit = Math.min(text.length(), 200);
		StringBuilder out = new StringBuilder(limit + 3);
		for (int i = 0; i < limit; i++) {
			char c = text.charAt(i);
			out.append((c >= 0x20 && c < 0x7F) ? c : '?');
		}
		if (text.length() > limit) {
			out.append("...");
		}
		return out.toString();
	}

}
