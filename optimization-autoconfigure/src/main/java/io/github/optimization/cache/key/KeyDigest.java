package io.github.optimization.cache.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest of a cache key that invalidation messages carry instead of the key itself:
 * the first 128 bits of the SHA-256 of the key's unambiguous encoding, in hex. Equal keys
 * have equal digests on every instance; the key's text never travels on the channel.
 */
public final class KeyDigest {

	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by the Java platform", ex);
		}
	});

	private KeyDigest() {
	}

	/**
	 * The digest of a key.
	 * @param key the cache key, may be {@code null}
	 * @return 32 lowercase hex characters
	 */
	public static String of(Object key) {
		byte[] hash = SHA256.get().digest(CacheKeyEncoder.encode(key).getBytes(StandardCharsets.UTF_8));
		return HexFormat.of().formatHex(hash, 0, 16);
	}

	/**
	 * Whether a string has the shape of a digest.
	 * @param text the text
	 * @return whether it is 32 lowercase hex characters
	 */
	public static boolean isValid(String text) {
		if (text == null || text.length() != 32) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
				return false;
			}
		}
		return true;
	}

}
