package io.github.optimization.sample.research;

/**
 * A research request. Every component is part of the cache key: the same topic asked with
 * another model, system prompt or temperature is another entry.
 *
 * @param topic what to research
 * @param model the model to ask
 * @param systemPrompt the instructions given to the model
 * @param temperature the sampling temperature
 */
public record Question(String topic, String model, String systemPrompt, double temperature) {

}
