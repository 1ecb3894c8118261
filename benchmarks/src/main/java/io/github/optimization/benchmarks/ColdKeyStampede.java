package io.github.optimization.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import io.github.optimization.cache.codec.CacheValueCodec;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.Jackson2JsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;

/**
 * A stampede on a cold key: 64 callers, 32 on each of two instances (application
 * contexts) sharing one Redis, ask for the same new key at the same moment; the loader
 * takes {@value StampedeService#LOADER_MILLIS} ms. One shot is the time until every
 * caller has its value (the longest wait); {@code loaderCalls} counts the loader calls
 * per shot. Contenders: the starter with cluster-wide single flight, the starter with
 * per-JVM single flight only, Spring's {@code @Cacheable(sync = true)} over
 * {@code RedisCacheManager}, and the same with its locking cache writer.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(1)
@State(Scope.Benchmark)
public class ColdKeyStampede {

	static final int CALLERS = 64;

	@Param({ "tiered-cluster", "tiered-per-jvm", "spring-redis-sync", "spring-redis-locking" })
	public String contender;

	private RedisServer redis;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<LongFunction<Product>> instances = new ArrayList<>();

	private final List<StampedeService> services = new ArrayList<>();

	private ExecutorService callers;

	private final AtomicLong nextKey = new AtomicLong(1_000_000);

	/** Start Redis and the two instances. */
	@Setup(Level.Trial)
	public void start() {
		this.redis = RedisServer.start();
		for (int i = 0; i < 2; i++) {
			ConfigurableApplicationContext context = switch (this.contender) {
				case "tiered-cluster" -> tiered(true);
				case "tiered-per-jvm" -> tiered(false);
				case "spring-redis-sync" -> Contexts.run(SpringRedis.class, redisProperties());
				case "spring-redis-locking" -> Contexts.run(SpringRedisLocking.class, redisProperties());
				default -> throw new IllegalArgumentException(this.contender);
			};
			this.contexts.add(context);
			StampedeService service = context.getBean(StampedeService.class);
			this.services.add(service);
			this.instances.add(this.contender.startsWith("tiered") ? service::tiered : service::spring);
		}
		this.callers = Executors.newFixedThreadPool(CALLERS);
	}

	private ConfigurableApplicationContext tiered(boolean cluster) {
		String[] redisProperties = redisProperties();
		String[] properties = new String[redisProperties.length + 2];
		System.arraycopy(redisProperties, 0, properties, 0, redisProperties.length);
		properties[redisProperties.length] = "optimization.cache.caches." + StampedeService.CACHE
				+ ".cluster-single-flight.enabled=" + cluster;
		// A busy 2-core machine runs 64 callers: do not let the breaker mistake that for
		// Redis.
		properties[redisProperties.length + 1] = "optimization.cache.redis.command-timeout=500ms";
		return Contexts.run(Tiered.class, properties);
	}

	private String[] redisProperties() {
		return new String[] { Contexts.NO_LETTUCE_METRICS, "spring.data.redis.host=" + this.redis.host(),
				"spring.data.redis.port=" + this.redis.port() };
	}

	/** Per-shot loader calls, reported next to the time. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class Outcome {

		/** Loader calls in the shot. */
		public long loaderCalls;

		@Setup(Level.Iteration)
		public void reset() {
			this.loaderCalls = 0;
		}

	}

	/**
	 * One stampede.
	 * @param outcome where the loader calls are counted
	 * @throws Exception if a caller failed
	 */
	@Benchmark
	public void stampede(Outcome outcome) throws Exception {
		long key = this.nextKey.incrementAndGet();
		long loadsBefore = loads();
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Product>> results = new ArrayList<>(CALLERS);
		for (int i = 0; i < CALLERS; i++) {
			LongFunction<Product> instance = this.instances.get(i % 2);
			results.add(this.callers.submit(() -> {
				go.await();
				return instance.apply(key);
			}));
		}
		go.countDown();
		Product expected = Product.of(key);
		for (Future<Product> result : results) {
			Checks.require(expected.equals(result.get(30, TimeUnit.SECONDS)), "a caller got another value");
		}
		outcome.loaderCalls += loads() - loadsBefore;
	}

	private long loads() {
		return this.services.stream().mapToLong(StampedeService::loads).sum();
	}

	/** Stop the instances and Redis. */
	@TearDown(Level.Trial)
	public void stop() {
		this.callers.shutdownNow();
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.redis.close();
	}

	/** The starter's auto-configuration. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Tiered {

		@Bean
		StampedeService stampedeService() {
			return new StampedeService();
		}

	}

	/** Spring's Redis cache manager with its default (non-locking) writer. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class SpringRedis {

		@Bean
		RedisCacheManager cacheManager(RedisConnectionFactory connectionFactory) {
			return manager(RedisCacheWriter.nonLockingRedisCacheWriter(connectionFactory));
		}

		@Bean
		StampedeService stampedeService() {
			return new StampedeService();
		}

	}

	/** Spring's Redis cache manager with its locking writer (a lock key per cache). */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class SpringRedisLocking {

		@Bean
		RedisCacheManager cacheManager(RedisConnectionFactory connectionFactory) {
			return manager(RedisCacheWriter.lockingRedisCacheWriter(connectionFactory));
		}

		@Bean
		StampedeService stampedeService() {
			return new StampedeService();
		}

	}

	static RedisCacheManager manager(RedisCacheWriter writer) {
		Jackson2JsonRedisSerializer<Product> values = new Jackson2JsonRedisSerializer<>(
				CacheValueCodec.defaultObjectMapper(), Product.class);
		RedisCacheConfiguration configuration = RedisCacheConfiguration.defaultCacheConfig()
			.entryTtl(Duration.ofHours(1))
			.serializeValuesWith(SerializationPair.fromSerializer(values));
		return RedisCacheManager.builder(writer)
			.cacheDefaults(configuration)
			.initialCacheNames(Set.of(StampedeService.CACHE))
			.build();
	}

}
