package io.github.optimization.llm.springai;

import java.util.ArrayList;
import java.util.List;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * What the cache keeps of a Spring AI {@link ChatResponse} (which does not survive a JSON
 * round trip as it is): the generations' text, finish reasons and tool calls, the id and
 * model of the response, and its token usage. {@link #toChatResponse()} rebuilds a
 * response with that content, the original usage, and the metadata key
 * {@value #CACHE_HIT_KEY} set to {@code true}.
 *
 * @param id the response id, may be {@code null}
 * @param model the model that answered, may be {@code null}
 * @param generations the generations
 * @param promptTokens input tokens of the original call, may be {@code null}
 * @param completionTokens output tokens of the original call, may be {@code null}
 * @param totalTokens total tokens of the original call, may be {@code null}
 */
public record CachedChatResponse(String id, String model, List<CachedGeneration> generations, Integer promptTokens,
		Integer completionTokens, Integer totalTokens) {

	/** The metadata key set to {@code true} on responses rebuilt from the cache. */
	public static final String CACHE_HIT_KEY = "optimization.cache.hit";

	/**
	 * A snapshot of a response, or {@code null} if it holds something the snapshot cannot
	 * keep (media in a generation, no generations), in which case it is not cached.
	 * @param response the response, may be {@code null}
	 * @return the snapshot, or {@code null}
	 */
	public static CachedChatResponse of(ChatResponse response) {
		if (response == null || response.getResults() == null || response.getResults().isEmpty()) {
			return null;
		}
		List<CachedGeneration> generations = new ArrayList<>();
		for (Generation generation : response.getResults()) {
			AssistantMessage output = generation.getOutput();
			if (output == null || (output.getMedia() != null && !output.getMedia().isEmpty())) {
				return null;
			}
			List<CachedToolCall> toolCalls = new ArrayList<>();
			for (AssistantMessage.ToolCall call : output.getToolCalls()) {
				toolCalls.add(new CachedToolCall(call.id(), call.type(), call.name(), call.arguments()));
			}
			ChatGenerationMetadata metadata = generation.getMetadata();
			generations.add(new CachedGeneration(output.getText(),
					(metadata != null) ? metadata.getFinishReason() : null, toolCalls));
		}
		ChatResponseMetadata metadata = response.getMetadata();
		Usage usage = (metadata != null) ? metadata.getUsage() : null;
		return new CachedChatResponse((metadata != null) ? emptyToNull(metadata.getId()) : null,
				(metadata != null) ? emptyToNull(metadata.getModel()) : null, generations,
				(usage != null) ? usage.getPromptTokens() : null, (usage != null) ? usage.getCompletionTokens() : null,
				(usage != null) ? usage.getTotalTokens() : null);
	}

	private static String emptyToNull(String text) {
		return (text != null && !text.isEmpty()) ? text : null;
	}

	/**
	 * Rebuild a response.
	 * @return a new response with this content
	 */
	public ChatResponse toChatResponse() {
		List<Generation> results = new ArrayList<>();
		for (CachedGeneration generation : this.generations) {
			List<AssistantMessage.ToolCall> toolCalls = new ArrayList<>();
			if (generation.toolCalls() != null) {
				for (CachedToolCall call : generation.toolCalls()) {
					toolCalls.add(new AssistantMessage.ToolCall(call.id(), call.type(), call.name(), call.arguments()));
				}
			}
			AssistantMessage message = AssistantMessage.builder()
				.content(generation.text())
				.toolCalls(toolCalls)
				.build();
			ChatGenerationMetadata.Builder metadata = ChatGenerationMetadata.builder();
			if (generation.finishReason() != null) {
				metadata.finishReason(generation.finishReason());
			}
			results.add(new Generation(message, metadata.build()));
		}
		ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder().keyValue(CACHE_HIT_KEY, true);
		if (this.id != null) {
			metadata.id(this.id);
		}
		if (this.model != null) {
			metadata.model(this.model);
		}
		if (this.promptTokens != null || this.completionTokens != null) {
			metadata.usage(new DefaultUsage(this.promptTokens, this.completionTokens, this.totalTokens));
		}
		return new ChatResponse(results, metadata.build());
	}

	/**
	 * One generation.
	 *
	 * @param text the text, may be {@code null}
	 * @param finishReason why the model stopped, may be {@code null}
	 * @param toolCalls the tool calls it asked for
	 */
	public record CachedGeneration(String text, String finishReason, List<CachedToolCall> toolCalls) {
	}

	/**
	 * One tool call a generation asked for.
	 *
	 * @param id the call id
	 * @param type the call type
	 * @param name the tool name
	 * @param arguments the arguments (JSON)
	 */
	public record CachedToolCall(String id, String type, String name, String arguments) {
	}

}
