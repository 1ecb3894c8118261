package io.github.optimization.llm.springai;

import io.github.optimization.llm.LlmUsage;
import io.github.optimization.llm.LlmUsageExtractor;
import io.github.optimization.llm.TokenUsage;

import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.core.Ordered;

/**
 * The usage of Spring AI responses ({@link ChatResponse}, and
 * {@link ChatClientResponse}): the model and the prompt and completion tokens of the
 * response metadata. Asked after the application's own extractors. Thread-safe.
 */
public final class ChatResponseUsageExtractor implements LlmUsageExtractor, Ordered {

	@Override
	public LlmUsage extract(Object response) {
		if (response instanceof ChatClientResponse clientResponse) {
			response = clientResponse.chatResponse();
		}
		if (!(response instanceof ChatResponse chatResponse)) {
			return null;
		}
		ChatResponseMetadata metadata = chatResponse.getMetadata();
		if (metadata == null) {
			return null;
		}
		Usage usage = metadata.getUsage();
		long input = (usage != null) ? tokens(usage.getPromptTokens()) : 0;
		long output = (usage != null) ? tokens(usage.getCompletionTokens()) : 0;
		String model = metadata.getModel();
		return new TokenUsage((model != null && !model.isEmpty()) ? model : null, input, output);
	}

	private static long tokens(Integer count) {
		return (count != null) ? Math.max(0, count) : 0;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
