package io.github.optimization.llm;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.optimization.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Records LLM calls as Micrometer counters (names in {@link MeterNames}): calls by
 * result, tokens and USD spent and saved, by model. The {@code model} tag is bounded: a
 * configured model, or {@value LlmPricing#OTHER} (whose tokens still count, at cost 0;
 * each unknown model name is logged once). Costs are summed exactly (as
 * {@link BigDecimal}) and exported as the nearest double. Meters of the configured models
 * are registered up front, so their series exist (at 0) before the first call.
 *
 * <p>
 * Thread-safe. Never throws from {@link #record}: a failure (of an extractor, say) is
 * logged at most once a minute and counted in {@value MeterNames#LLM_RECORDING_FAILURES}.
 */
public final class LlmMeters implements LlmCallRecorder {

	private static final Log logger = LogFactory.getLog(LlmMeters.class);

	private static final int MAX_LOGGED_UNKNOWN_MODELS = 100;

	private static final long FAILURE_LOG_INTERVAL_NANOS = 60_000_000_000L;

	private final MeterRegistry registry;

	private final LlmPricing pricing;

	private final LlmUsageResolver usages;

	private final Map<String, ModelMeters> byTag = new ConcurrentHashMap<>();

	private final Set<String> loggedUnknownModels = ConcurrentHashMap.newKeySet();

	private final Counter failures;

	private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS);

	/**
	 * Create the meters and register those of every configured model.
	 * @param registry the registry
	 * @param pricing the prices, which bound the {@code model} tag
	 * @param usages finds the usage of a response
	 */
	public LlmMeters(MeterRegistry registry, LlmPricing pricing, LlmUsageResolver usages) {
		this.registry = registry;
		this.pricing = pricing;
		this.usages = usages;
		this.failures = Counter.builder(MeterNames.LLM_RECORDING_FAILURES)
			.description("LLM calls whose usage could not be recorded")
			.register(registry);
		pricing.models().forEach(this::meters);
		meters(LlmPricing.OTHER);
	}

	@Override
	public void record(Object response, String model, boolean providerCalled) {
		record(response, model, providerCalled, true);
	}

	@Override
	public void recordBackgroundCall(Object response, String model) {
		record(response, model, true, false);
	}

	private void record(Object response, String model, boolean providerCalled, boolean countCall) {
		try {
			LlmUsage usage = this.usages.resolve(response);
			String name = (model != null) ? model : (usage != null) ? usage.model() : null;
			String tag = this.pricing.tag(name);
			if (LlmPricing.OTHER.equals(tag) && name != null
					&& this.loggedUnknownModels.size() < MAX_LOGGED_UNKNOWN_MODELS
					&& this.loggedUnknownModels.add(name)) {
				logger.info("LLM model '" + name + "' has no price (optimization.llm.pricing): its calls and tokens "
						+ "are counted under model=\"other\" at a cost of 0");
			}
			ModelMeters meters = meters(tag);
			if (countCall) {
				(providerCalled ? meters.misses : meters.hits).increment();
			}
			if (usage != null) {
				long input = Math.max(0, usage.inputTokens());
				long output = Math.max(0, usage.outputTokens());
				ModelPrice price = this.pricing.price(tag);
				Flow flow = providerCalled ? meters.spent : meters.saved;
				flow.inputTokens.increment(input);
				flow.outputTokens.increment(output);
				flow.cost.add(price.inputCost(input).add(price.outputCost(output)));
			}
		}
		catch (RuntimeException ex) {
			this.failures.increment();
			long last = this.lastFailureLog.get();
			long now = System.nanoTime();
			if (now - last >= FAILURE_LOG_INTERVAL_NANOS && this.lastFailureLog.compareAndSet(last, now)) {
				logger.warn("Could not record the usage of an LLM call (further failures are counted in "
						+ MeterNames.LLM_RECORDING_FAILURES + " and logged at most once a minute)", ex);
			}
		}
	}

	private ModelMeters meters(String tag) {
		return this.byTag.computeIfAbsent(tag, (t) -> new ModelMeters(this.registry, t));
	}

	/** A sum of exact amounts, read as the nearest double. */
	static final class ExactSum {

		private BigDecimal total = BigDecimal.ZERO;

		synchronized void add(BigDecimal amount) {
			this.total = this.total.add(amount);
		}

		synchronized BigDecimal total() {
			return this.total;
		}

		double doubleValue() {
			return total().doubleValue();
		}

	}

	private static final class Flow {

		final Counter inputTokens;

		final Counter outputTokens;

		final ExactSum cost = new ExactSum();

		Flow(MeterRegistry registry, String tag, String tokens, String cost, String what) {
			this.inputTokens = tokens(registry, tokens, tag, "input", what);
			this.outputTokens = tokens(registry, tokens, tag, "output", what);
			FunctionCounter.builder(cost, this.cost, ExactSum::doubleValue)
				.description("USD " + what + ", at the configured price per million tokens")
				.tag("model", tag)
				.register(registry);
		}

		private static Counter tokens(MeterRegistry registry, String name, String tag, String type, String what) {
			return Counter.builder(name)
				.description("LLM tokens " + what)
				.tag("model", tag)
				.tag("type", type)
				.register(registry);
		}

	}

	private static final class ModelMeters {

		final Counter hits;

		final Counter misses;

		final Flow spent;

		final Flow saved;

		ModelMeters(MeterRegistry registry, String tag) {
			this.hits = calls(registry, tag, "hit");
			this.misses = calls(registry, tag, "miss");
			this.spent = new Flow(registry, tag, MeterNames.LLM_TOKENS_SPENT, MeterNames.LLM_COST_SPENT,
					"spent: the provider was called");
			this.saved = new Flow(registry, tag, MeterNames.LLM_TOKENS_SAVED, MeterNames.LLM_COST_SAVED,
					"saved: served without calling the provider");
		}

		private static Counter calls(MeterRegistry registry, String tag, String result) {
			return Counter.builder(MeterNames.LLM_CALLS)
				.description("Cached LLM calls; hit: the provider was not called for this call")
				.tag("model", tag)
				.tag("result", result)
				.register(registry);
		}

	}

}
