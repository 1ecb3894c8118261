package io.github.optimization.cache.coherence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many callers of one cold key, on several instances, released together by a latch once
 * every caller's thread is ready: F16's stampede. Records what each caller got and how
 * long it waited.
 */
final class Stampede {

	private Stampede() {
	}

	/**
	 * Runs {@code perInstance} callers of each call at once.
	 * @param perInstance callers per call
	 * @param calls one call per instance, e.g. {@code () -> cacheA.get(key, loader)}
	 * @return what the callers got
	 */
	static Result run(int perInstance, List<Callable<Object>> calls) throws Exception {
		int callers = perInstance * calls.size();
		ExecutorService threads = Executors.newFixedThreadPool(callers);
		try {
			CountDownLatch ready = new CountDownLatch(callers);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Outcome>> futures = new ArrayList<>();
			for (Callable<Object> call : calls) {
				for (int i = 0; i < perInstance; i++) {
					futures.add(threads.submit(() -> {
						ready.countDown();
						go.await();
						long start = System.nanoTime();
						try {
							Object value = call.call();
							return new Outcome(value, null, System.nanoTime() - start);
						}
						catch (Exception ex) {
							return new Outcome(null, ex, System.nanoTime() - start);
						}
					}));
				}
			}
			assertThat(ready.await(10, TimeUnit.SECONDS)).as("every caller's thread is ready").isTrue();
			go.countDown();
			List<Object> values = new ArrayList<>();
			List<Throwable> failures = new ArrayList<>();
			long maxWait = 0;
			for (Future<Outcome> future : futures) {
				Outcome outcome = future.get(30, TimeUnit.SECONDS);
				if (outcome.failure != null) {
					failures.add(outcome.failure);
				}
				else {
					values.add(outcome.value);
				}
				maxWait = Math.max(maxWait, outcome.nanos);
			}
			return new Result(values, failures, maxWait);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private record Outcome(Object value, Throwable failure, long nanos) {
	}

	/**
	 * What the callers got.
	 *
	 * @param values the values returned, one per caller that did not fail
	 * @param failures what the others threw
	 * @param maxWaitNanos the longest a caller waited
	 */
	record Result(List<Object> values, List<Throwable> failures, long maxWaitNanos) {

		long maxWaitMillis() {
			return TimeUnit.NANOSECONDS.toMillis(this.maxWaitNanos);
		}

	}

}
