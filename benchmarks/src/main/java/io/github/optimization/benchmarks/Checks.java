package io.github.optimization.benchmarks;

import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Guards that the benchmarks measure what they claim: every key loaded once before
 * measuring, values read back intact, and no measured read missing the cache.
 */
final class Checks {

	private Checks() {
	}

	/**
	 * Fail the trial when a claim does not hold.
	 * @param condition the claim
	 * @param message what is wrong when it does not
	 */
	static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException("Benchmark setup is not what it claims: " + message);
		}
	}

	/**
	 * Load every key through a {@code @Cacheable} bean, read each back, and check one
	 * load per key.
	 * @param products the bean
	 * @return the number of loads so far
	 */
	static long warmUp(SpringProducts products) {
		for (int i = 0; i < Workload.KEY_COUNT; i++) {
			products.product(Workload.FIRST_ID + i);
		}
		for (int i = 0; i < Workload.KEY_COUNT; i++) {
			long id = Workload.FIRST_ID + i;
			require(Product.of(id).equals(products.product(id)), "the cache read back a different value");
		}
		long loads = products.loads();
		require(loads == Workload.KEY_COUNT, "expected one load per key, got " + loads);
		return loads;
	}

	/**
	 * Check that no measured read ran the method.
	 * @param loadsNow the loads counted now
	 * @param loadsAfterWarmUp the loads counted when measuring started
	 */
	static void noMisses(long loadsNow, long loadsAfterWarmUp) {
		long misses = loadsNow - loadsAfterWarmUp;
		require(misses == 0, misses + " measured reads missed the cache and ran the method");
	}

	/**
	 * Print how many bytes a cache stored in Redis for one key, for the report.
	 * @param context the context whose Redis connection factory to use
	 * @param what what the value is
	 * @param redisKey the Redis key
	 */
	static void printStoredSize(ApplicationContext context, String what, byte[] redisKey) {
		try (RedisConnection connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
			Long length = connection.stringCommands().strLen(redisKey);
			require(length != null && length > 0, what + " is not in Redis");
			System.out.println(what + ": " + length + " bytes in Redis");
		}
	}

}
