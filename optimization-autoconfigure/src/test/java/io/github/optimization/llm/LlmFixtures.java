package io.github.optimization.llm;

import io.github.optimization.cache.annotation.CachedLlmResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

/**
 * A fake LLM service for the {@link CachedLlmResponse} tests: counts its provider calls
 * and answers with a known usage (1200 input and 300 output tokens).
 */
public final class LlmFixtures {

	public static final long INPUT_TOKENS = 1200;

	public static final long OUTPUT_TOKENS = 300;

	private LlmFixtures() {
	}

	/** A request whose every component is in the default key. */
	public record Question(String system, String prompt, String model, double temperature, String tenant) {

		static Question of(String prompt) {
			return new Question("You are terse.", prompt, "gpt-4o-mini", 0.2, "acme");
		}

		Question withSystem(String system) {
			return new Question(system, this.prompt, this.model, this.temperature, this.tenant);
		}

		Question withModel(String model) {
			return new Question(this.system, this.prompt, model, this.temperature, this.tenant);
		}

		Question withTemperature(double temperature) {
			return new Question(this.system, this.prompt, this.model, temperature, this.tenant);
		}

	}

	/** A response that carries its usage. */
	public record Answer(String text, String model, long inputTokens, long outputTokens) implements LlmUsage {
	}

	/** Something with no properties: not part of a canonical key. */
	public static class Opaque {

	}

	/** The fake service. */
	public static class Assistant {

		final AtomicInteger calls = new AtomicInteger();

		final AtomicInteger bodies = new AtomicInteger();

		public int calls() {
			return this.calls.get();
		}

		/** How often a Mono method's body ran (assembly, not subscription). */
		public int bodies() {
			return this.bodies.get();
		}

		private Answer answer(String text, String model) {
			this.calls.incrementAndGet();
			return new Answer(text, model, INPUT_TOKENS, OUTPUT_TOKENS);
		}

		@CachedLlmResponse(cache = "answers", ttl = "1h")
		public Answer ask(Question question) {
			return answer(question.system() + "|" + question.prompt() + "|" + question.temperature(), question.model());
		}

		@CachedLlmResponse(cache = "answers")
		public Answer askMap(Map<String, Object> request) {
			return answer("map " + request.get("prompt"), (String) request.get("model"));
		}

		@CachedLlmResponse(cache = "answers")
		public Optional<Answer> find(String prompt) {
			return "none".equals(prompt) ? countedEmpty() : Optional.of(answer(prompt, "gpt-4o-mini"));
		}

		private Optional<Answer> countedEmpty() {
			this.calls.incrementAndGet();
			return Optional.empty();
		}

		@CachedLlmResponse(cache = "answers")
		public Answer nullable(String prompt) {
			if ("null".equals(prompt)) {
				this.calls.incrementAndGet();
				return null;
			}
			return answer(prompt, "gpt-4o-mini");
		}

		@CachedLlmResponse(cache = "answers", key = "#question.prompt", model = "#question.model")
		public Answer narrowed(Question question) {
			return answer(question.prompt(), null);
		}

		@CachedLlmResponse(cache = "answers")
		public Answer opaque(String prompt, Object context) {
			return answer(prompt, "gpt-4o-mini");
		}

		@CachedLlmResponse(cache = "answers")
		public CompletableFuture<Answer> askAsync(Question question) {
			return CompletableFuture.supplyAsync(() -> answer("async " + question.prompt(), question.model()));
		}

		@CachedLlmResponse(cache = "answers")
		public CompletableFuture<Answer> askAsyncEmpty(String prompt) {
			this.calls.incrementAndGet();
			return CompletableFuture.completedFuture(null);
		}

		@CachedLlmResponse(cache = "answers")
		public Mono<Answer> askMono(Question question) {
			this.bodies.incrementAndGet();
			return Mono.fromCallable(() -> answer("mono " + question.prompt(), question.model()));
		}

		@CachedLlmResponse(cache = "answers")
		public Mono<Answer> askMonoEmpty(String prompt) {
			this.bodies.incrementAndGet();
			return Mono.fromRunnable(this.calls::incrementAndGet);
		}

	}

}
