package io.github.optimization.autoconfigure.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the two-level cache.
 */
@ConfigurationProperties("optimization.cache")
public class TieredCacheProperties {

	/**
	 * Whether to auto-configure the two-level cache manager.
	 */
	private boolean enabled = true;

	/**
	 * Whether caches not listed under 'caches' are created on first use with the defaults.
	 */
	private boolean dynamic = true;

	/**
	 * Order of the @TieredCacheable advisor. The default puts the cache outside
	 * resilience4j's aspects and transactions, so a hit skips them.
	 */
	private int advisorOrder = Ordered.LOWEST_PRECEDENCE - 100;

	/**
	 * Settings every cache starts from.
	 */
	private final CacheSettings defaults = new CacheSettings();

	/**
	 * Per-cache settings, by cache name. Unset fields inherit from 'defaults'.
	 */
	private final Map<String, CacheSettings> caches = new LinkedHashMap<>();

	private final Redis redis = new Redis();

	private final Codec codec = new Codec();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isDynamic() {
		return this.dynamic;
	}

	public void setDynamic(boolean dynamic) {
		this.dynamic = dynamic;
	}

	public int getAdvisorOrder() {
		return this.advisorOrder;
	}

	public void setAdvisorOrder(int advisorOrder) {
		this.advisorOrder = advisorOrder;
	}

	public CacheSettings getDefaults() {
		return this.defaults;
	}

	public Map<String, CacheSettings> getCaches() {
		return this.caches;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Codec getCodec() {
		return this.codec;
	}

	/**
	 * Settings of one cache (or of the defaults). A field left unset inherits.
	 */
	public static class CacheSettings {

		/**
		 * Time to live of entries in Redis, and at most in the in-process level. Built-in
		 * default 1h.
		 */
		private Duration ttl;

		/**
		 * Time to live of cached null results. Built-in default 1m.
		 */
		private Duration nullTtl;

		/**
		 * Whether null results are cached (for 'null-ttl'). Built-in default true.
		 */
		private Boolean cacheNulls;

		/**
		 * Fraction in [0, 1) by which each entry's TTL is shortened at random, so entries
		 * written together do not expire together. Built-in default 0.05.
		 */
		private Double ttlJitter;

		private final L1 l1 = new L1();

		private final L2 l2 = new L2();

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

		public Duration getNullTtl() {
			return this.nullTtl;
		}

		public void setNullTtl(Duration nullTtl) {
			this.nullTtl = nullTtl;
		}

		public Boolean getCacheNulls() {
			return this.cacheNulls;
		}

		public void setCacheNulls(Boolean cacheNulls) {
			this.cacheNulls = cacheNulls;
		}

		public Double getTtlJitter() {
			return this.ttlJitter;
		}

		public void setTtlJitter(Double ttlJitter) {
			this.ttlJitter = ttlJitter;
		}

		public L1 getL1() {
			return this.l1;
		}

		public L2 getL2() {
			return this.l2;
		}

	}

	/**
	 * The in-process (Caffeine) level of a cache.
	 */
	public static class L1 {

		/**
		 * Whether the in-process level is used. Built-in default true.
		 */
		private Boolean enabled;

		/**
		 * Most entries the in-process level holds; it is always bounded. Built-in default
		 * 10000.
		 */
		private Long maximumSize;

		/**
		 * Hard cap on an entry's life in the in-process level when Redis is shared: bounds
		 * how long an instance may serve a value another instance replaced. Built-in
		 * default 5m.
		 */
		private Duration ttl;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

		public Long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(Long maximumSize) {
			this.maximumSize = maximumSize;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

	/**
	 * The shared (Redis) level of a cache.
	 */
	public static class L2 {

		/**
		 * Whether the shared Redis level is used when Redis is configured. Built-in
		 * default true.
		 */
		private Boolean enabled;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * How the cache uses Redis.
	 */
	public static class Redis {

		/**
		 * Prefix of every key the cache writes, to keep applications sharing a Redis apart.
		 */
		private String keyPrefix = "opt:";

		/**
		 * Version of the cached data's shape, part of every key. Increase it when a deploy
		 * changes cached classes incompatibly: the new version reads misses, not old shapes.
		 */
		private int schemaVersion = 1;

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public int getSchemaVersion() {
			return this.schemaVersion;
		}

		public void setSchemaVersion(int schemaVersion) {
			this.schemaVersion = schemaVersion;
		}

	}

	/**
	 * How values are encoded in Redis.
	 */
	public static class Codec {

		/**
		 * Values whose JSON is larger than this are compressed with zstd.
		 */
		private DataSize compressionThreshold = DataSize.ofKilobytes(1);

		/**
		 * Largest encoded value written to or accepted from Redis. Larger values are not
		 * written (counted); larger bytes read are a miss (counted).
		 */
		private DataSize maxValueSize = DataSize.ofMegabytes(1);

		/**
		 * Largest size a compressed value may expand to; anything claiming more is refused
		 * before decompression.
		 */
		private DataSize maxDecompressedSize = DataSize.ofMegabytes(16);

		/**
		 * Packages whose classes may be read back for caches without a declared type (plain
		 * @Cacheable). The application's own packages (those of @SpringBootApplication) and
		 * JDK value types are always allowed.
		 */
		private List<String> allowedPackages = new ArrayList<>();

		public DataSize getCompressionThreshold() {
			return this.compressionThreshold;
		}

		public void setCompressionThreshold(DataSize compressionThreshold) {
			this.compressionThreshold = compressionThreshold;
		}

		public DataSize getMaxValueSize() {
			return this.maxValueSize;
		}

		public void setMaxValueSize(DataSize maxValueSize) {
			this.maxValueSize = maxValueSize;
		}

		public DataSize getMaxDecompressedSize() {
			return this.maxDecompressedSize;
		}

		public void setMaxDecompressedSize(DataSize maxDecompressedSize) {
			this.maxDecompressedSize = maxDecompressedSize;
		}

		public List<String> getAllowedPackages() {
			return this.allowedPackages;
		}

		public void setAllowedPackages(List<String> allowedPackages) {
			this.allowedPackages = allowedPackages;
		}

	}

}
