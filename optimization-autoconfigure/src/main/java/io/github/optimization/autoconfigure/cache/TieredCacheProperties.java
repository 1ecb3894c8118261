package io.github.optimization.autoconfigure.cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the two-level cache. A key under {@code optimization.cache} that names
 * no setting fails startup.
 */
@ConfigurationProperties(prefix = "optimization.cache", ignoreUnknownFields = false)
public class TieredCacheProperties {

	/**
	 * Whether to auto-configure the two-level cache manager.
	 */
	private boolean enabled = true;

	/**
	 * Whether caches not listed under 'caches' are created on first use with the
	 * defaults.
	 */
	private boolean dynamic = true;

	/**
	 * Most caches created on first use; beyond it unknown cache names are refused (and
	 * logged), so names from input cannot grow memory and meters without bound.
	 */
	private int dynamicLimit = 100;

	/**
	 * Order of the @TieredCacheable advisor. The default puts the cache outside
	 * resilience4j's aspects and transactions, so a hit skips them.
	 */
	private int advisorOrder = Ordered.LOWEST_PRECEDENCE - 100;

	/**
	 * Settings every cache starts from.
	 */
	@NestedConfigurationProperty
	private final CacheSettings defaults = new CacheSettings();

	/**
	 * Per-cache settings, by cache name. Unset fields inherit from 'defaults'.
	 */
	private final Map<String, CacheSettings> caches = new LinkedHashMap<>();

	@NestedConfigurationProperty
	private final RedisSettings redis = new RedisSettings();

	private final Codec codec = new Codec();

	@NestedConfigurationProperty
	private final InvalidationSettings invalidation = new InvalidationSettings();

	private final Health health = new Health();

	private final Refresh refresh = new Refresh();

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

	public int getDynamicLimit() {
		return this.dynamicLimit;
	}

	public void setDynamicLimit(int dynamicLimit) {
		this.dynamicLimit = dynamicLimit;
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

	public RedisSettings getRedis() {
		return this.redis;
	}

	public Codec getCodec() {
		return this.codec;
	}

	public InvalidationSettings getInvalidation() {
		return this.invalidation;
	}

	public Health getHealth() {
		return this.health;
	}

	public Refresh getRefresh() {
		return this.refresh;
	}

	/**
	 * The threads that run background refreshes (stale-while-revalidate, refresh-ahead)
	 * of every cache: they call loaders, so they may block as long as a loader takes.
	 */
	public static class Refresh {

		/**
		 * Threads that run background refreshes; at most this many loaders run at once in
		 * the background.
		 */
		private int threads = 4;

		/**
		 * Refreshes that may wait for a thread; a refresh beyond it is dropped (counted
		 * as a failed refresh) and the stale value is served until a later read starts
		 * one.
		 */
		private int queueCapacity = 1000;

		public int getThreads() {
			return this.threads;
		}

		public void setThreads(int threads) {
			this.threads = threads;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
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
		 * Largest size a compressed value may expand to; anything claiming more is
		 * refused before decompression.
		 */
		private DataSize maxDecompressedSize = DataSize.ofMegabytes(16);

		/**
		 * Packages whose classes may be read back for caches without a declared type
		 * (plain
		 * @Cacheable). The application's own packages (those of @SpringBootApplication)
		 * and JDK value types are always allowed.
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

	/**
	 * The health contributor of the tiered caches.
	 */
	public static class Health {

		/**
		 * Whether the contributor reports OUT_OF_SERVICE (instead of UP with a "degraded"
		 * detail) while the Redis level is unavailable. Only then can it take an instance
		 * out of a readiness group that includes it; liveness never includes it.
		 */
		private boolean failWhenDegraded = false;

		public boolean isFailWhenDegraded() {
			return this.failWhenDegraded;
		}

		public void setFailWhenDegraded(boolean failWhenDegraded) {
			this.failWhenDegraded = failWhenDegraded;
		}

	}

}
