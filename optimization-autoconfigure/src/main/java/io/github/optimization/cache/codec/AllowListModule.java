package io.github.optimization.cache.codec;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Replaces Jackson's deserializers of {@code Class} and {@code JavaType}, which load any
 * class named in the JSON, with ones that consult the {@link TypeAllowList} first. A
 * {@code Class} property in a cached value is rare, but without this it would be a way
 * around the allow-list.
 */
final class AllowListModule extends SimpleModule {

	private static final long serialVersionUID = 1L;

	@SuppressWarnings({ "unchecked", "rawtypes" })
	AllowListModule(TypeAllowList allowList) {
		super(AllowListModule.class.getName());
		addDeserializer((Class) Class.class, new ClassDeserializer(allowList));
		addDeserializer(JavaType.class, new JavaTypeDeserializer(allowList));
	}

	private static String readName(JsonParser parser, DeserializationContext context, Class<?> target)
			throws IOException {
		if (!parser.hasToken(JsonToken.VALUE_STRING)) {
			context.handleUnexpectedToken(target, parser);
			return null;
		}
		return parser.getText();
	}

	private static InvalidTypeIdException notAllowed(JsonParser parser, DeserializationContext context, Class<?> target,
			String name) {
		return InvalidTypeIdException.from(parser, "Type name in JSON is not allowed by the codec's allow-list",
				context.constructType(target), name);
	}

	static final class ClassDeserializer extends StdScalarDeserializer<Class<?>> {

		private static final long serialVersionUID = 1L;

		private final TypeAllowList allowList;

		ClassDeserializer(TypeAllowList allowList) {
			super(Class.class);
			this.allowList = allowList;
		}

		@Override
		public Class<?> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			String name = readName(parser, context, Class.class);
			if (!this.allowList.isAllowed(name)) {
				throw notAllowed(parser, context, Class.class, name);
			}
			try {
				return context.findClass(name);
			}
			catch (ClassNotFoundException | RuntimeException | LinkageError ex) {
				return (Class<?>) context.handleInstantiationProblem(Class.class, name, ex);
			}
		}

	}

	static final class JavaTypeDeserializer extends StdScalarDeserializer<JavaType> {

		private static final long serialVersionUID = 1L;

		private final TypeAllowList allowList;

		JavaTypeDeserializer(TypeAllowList allowList) {
			super(JavaType.class);
			this.allowList = allowList;
		}

		@Override
		public JavaType deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			String name = readName(parser, context, JavaType.class);
			if (!this.allowList.isAllowedCanonical(name)) {
				throw notAllowed(parser, context, JavaType.class, name);
			}
			try {
				return context.getTypeFactory().constructFromCanonical(name);
			}
			catch (IllegalArgumentException ex) {
				return (JavaType) context.handleInstantiationProblem(JavaType.class, name, ex);
			}
		}

	}

}
