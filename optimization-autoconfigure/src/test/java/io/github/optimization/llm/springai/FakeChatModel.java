package io.github.optimization.llm.springai;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * A chat model that answers every prompt with its text, a dated model name and 1200 input
 * and 300 output tokens, counting its calls.
 */
final class FakeChatModel implements ChatModel {

	private final AtomicInteger calls = new AtomicInteger();

	int calls() {
		return this.calls.get();
	}

	@Override
	public Flux<ChatResponse> stream(Prompt prompt) {
		return Flux.defer(() -> Flux.just(call(prompt)));
	}

	@Override
	public ChatResponse call(Prompt prompt) {
		int n = this.calls.incrementAndGet();
		String model = (prompt.getOptions() != null && prompt.getOptions().getModel() != null)
				? prompt.getOptions().getModel() : "gpt-4o-mini";
		AssistantMessage message = new AssistantMessage("answer to " + prompt.getContents());
		return new ChatResponse(
				List.of(new Generation(message, ChatGenerationMetadata.builder().finishReason("STOP").build())),
				ChatResponseMetadata.builder()
					.id("response-" + n)
					.model(model + "-2024-07-18")
					.usage(new DefaultUsage(1200, 300))
					.build());
	}

}
