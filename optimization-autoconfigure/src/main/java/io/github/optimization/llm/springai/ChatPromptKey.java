package io.github.optimization.llm.springai;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import io.github.optimization.cache.key.CanonicalKey;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.content.MediaContent;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.beans.BeanUtils;

/**
 * The cache key of a Spring AI {@link Prompt}: a SHA-256 ({@link CanonicalKey}) over
 * <ul>
 * <li>every message in order, with its type, text, media (MIME type and data; not the
 * generated name or id), an assistant message's tool calls and a tool message's
 * responses;</li>
 * <li>the options as the provider would receive them (their JSON form, so
 * provider-specific options such as a response format or seed count too; {@code null}
 * options are left out), including the model and the temperature;</li>
 * <li>the tools: names, and each callback's definition (name, description, input schema),
 * whether tools run internally, and the tool context.</li>
 * </ul>
 * Message metadata and the ChatClient's request context are not part of it. Thread-safe.
 */
final class ChatPromptKey {

	private static final ObjectMapper OPTIONS = JsonMapper.builder()
		.serializationInclusion(JsonInclude.Include.NON_NULL)
		.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
		.addModule(new SimpleModule().setSerializerModifier(new WithoutToolObjects()))
		.build();

	private ChatPromptKey() {
	}

	/**
	 * The key of a prompt.
	 * @param prompt the prompt
	 * @return 64 hex characters
	 * @throws IllegalArgumentException if part of the prompt (typically a tool context
	 * value) has no canonical form, or the options cannot be written as JSON
	 */
	public static String of(Prompt prompt) {
		CanonicalKey key = new CanonicalKey("spring-ai:chat:v1");
		List<Map<String, Object>> messages = new ArrayList<>();
		for (Message message : prompt.getInstructions()) {
			messages.add(message(message));
		}
		key.add("messages", messages);
		ChatOptions options = prompt.getOptions();
		if (options != null) {
			JsonNode json = OPTIONS.valueToTree(options);
			key.add("options", json);
			if (options instanceof ToolCallingChatOptions tools) {
				key.add("tools", tools(tools));
			}
		}
		return key.sha256();
	}

	private static Map<String, Object> message(Message message) {
		Map<String, Object> encoded = new LinkedHashMap<>();
		encoded.put("type", message.getMessageType().getValue());
		encoded.put("text", message.getText());
		if (message instanceof MediaContent content && content.getMedia() != null && !content.getMedia().isEmpty()) {
			List<Map<String, Object>> media = new ArrayList<>();
			for (Media item : content.getMedia()) {
				Map<String, Object> part = new LinkedHashMap<>();
				part.put("mimeType", (item.getMimeType() != null) ? item.getMimeType().toString() : null);
				part.put("data", item.getData());
				media.add(part);
			}
			encoded.put("media", media);
		}
		if (message instanceof AssistantMessage assistant && assistant.hasToolCalls()) {
			encoded.put("toolCalls", assistant.getToolCalls());
		}
		if (message instanceof ToolResponseMessage tool) {
			encoded.put("toolResponses", tool.getResponses());
		}
		return encoded;
	}

	private static Map<String, Object> tools(ToolCallingChatOptions options) {
		Map<String, Object> tools = new LinkedHashMap<>();
		Object names = property(options, "toolNames");
		tools.put("names", (names instanceof Collection<?> collection) ? new TreeSet<>(collection) : null);
		List<Map<String, Object>> definitions = new ArrayList<>();
		if (options.getToolCallbacks() != null) {
			for (ToolCallback callback : options.getToolCallbacks()) {
				ToolDefinition definition = callback.getToolDefinition();
				Map<String, Object> encoded = new LinkedHashMap<>();
				encoded.put("name", definition.name());
				encoded.put("description", definition.description());
				encoded.put("inputSchema", definition.inputSchema());
				definitions.add(encoded);
			}
		}
		tools.put("callbacks", definitions);
		tools.put("internalExecution", property(options, "internalToolExecutionEnabled"));
		tools.put("context", options.getToolContext());
		return tools;
	}

	/**
	 * A bean property of the options, or {@code null} if their class has none: Spring AI
	 * 1.1 has tool names and the internal-execution flag on every tool-calling option,
	 * 2.0 dropped them from the interface (some providers' options still have them).
	 */
	private static Object property(ChatOptions options, String name) {
		PropertyDescriptor descriptor = BeanUtils.getPropertyDescriptor(options.getClass(), name);
		if (descriptor == null || descriptor.getReadMethod() == null) {
			return null;
		}
		try {
			return descriptor.getReadMethod().invoke(options);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Could not read " + name + " of " + options.getClass().getName(), ex);
		}
	}

	/** Leaves the tool objects out of the options' JSON; {@link #tools} encodes them. */
	private static final class WithoutToolObjects extends BeanSerializerModifier {

		@Override
		public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription description,
				List<BeanPropertyWriter> properties) {
			if (!ChatOptions.class.isAssignableFrom(description.getBeanClass())) {
				return properties;
			}
			List<BeanPropertyWriter> kept = new ArrayList<>(properties);
			kept.removeIf((property) -> switch (property.getName()) {
				case "toolCallbacks", "toolNames", "toolContext", "internalToolExecutionEnabled" -> true;
				default -> false;
			});
			return kept;
		}

	}

}
