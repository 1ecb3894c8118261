package io.github.optimization.cache;

import java.util.concurrent.Executor;

/**
 * In-process caches as the expiry and staleness tests build them: one cache {@code "c"}
 * with no shared level, whose time is a {@link FakeTicker}, whose loads run on the
 * calling thread and whose background work (refreshes) runs on an executor the test
 * controls.
 */
final class InProcessCaches {

	private InProcessCaches() {
	}

	static TieredCache cache(CacheSpec spec, FakeTicker ticker, Executor background) {
		return (TieredCache) TieredCacheManager.builder()
			.cache("c", spec)
			.ticker(ticker)
			.executor(Runnable::run)
			.asyncExecutor(background)
			.build()
			.getCache("c");
	}

}
