package io.github.optimization.sample.research;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /research?topic=caching} asks the simulated LLM through the cache;
 * {@code POST /research/provider?failureRate=1} makes the provider fail, to watch stale
 * answers being served (and counted) instead of errors.
 */
@RestController
public class ResearchController {

	static final String DEFAULT_SYSTEM_PROMPT = "Answer in three sentences for an engineer.";

	private final ResearchService research;

	private final SimulatedLlmProvider provider;

	public ResearchController(ResearchService research, SimulatedLlmProvider provider) {
		this.research = research;
		this.provider = provider;
	}

	@GetMapping("/research")
	public Answer research(@RequestParam String topic, @RequestParam(defaultValue = "gpt-4o-mini") String model,
			@RequestParam(defaultValue = DEFAULT_SYSTEM_PROMPT) String system,
			@RequestParam(defaultValue = "0.2") double temperature) {
		return this.research.research(new Question(topic, model, system, temperature));
	}

	@GetMapping("/research/provider")
	public Map<String, Object> provider() {
		return Map.of("calls", this.provider.calls(), "latency", this.provider.latency().toString(), "failureRate",
				this.provider.failureRate());
	}

	@PostMapping("/research/provider")
	public Map<String, Object> configureProvider(@RequestParam(required = false) Duration latency,
			@RequestParam(required = false) Double failureRate) {
		this.provider.configure((latency != null) ? latency : this.provider.latency(),
				(failureRate != null) ? failureRate : this.provider.failureRate());
		return provider();
	}

	@ExceptionHandler(LlmProviderException.class)
	ResponseEntity<Map<String, String>> providerFailed(LlmProviderException ex) {
		return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException ex) {
		return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
	}

}
