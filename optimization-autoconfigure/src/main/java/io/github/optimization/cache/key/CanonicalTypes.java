package io.github.optimization.cache.key;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URL;
import java.nio.charset.Charset;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.BaseStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.beans.BeanUtils;

/**
 * The type rules of {@link CanonicalKey}: which classes are plain values, which can never
 * be read without consuming or running them, and which properties a bean is keyed on.
 * Stateless.
 */
final class CanonicalTypes {

	private static final List<Class<?>> SINGLE_USE = List.of(BaseStream.class, Iterator.class, Spliterator.class,
			java.io.InputStream.class, java.io.OutputStream.class, java.io.Reader.class, java.io.Writer.class,
			java.nio.channels.Channel.class, Future.class, CompletionStage.class, Thread.class, ClassLoader.class);

	private CanonicalTypes() {
	}

	/** See {@link CanonicalKey#whyNotCanonical(Class)}. */
	static String whyNotCanonical(Class<?> type) {
		String reason = singleUseReason(type);
		if (reason != null) {
			return reason;
		}
		if (type.isArray()) {
			return whyNotCanonical(type.getComponentType());
		}
		if (type.isPrimitive() || type.isInterface() || Modifier.isAbstract(type.getModifiers()) || type == Object.class
				|| isKnownValue(type) || type.isEnum() || type.isRecord() || Collection.class.isAssignableFrom(type)
				|| Map.class.isAssignableFrom(type) || Optional.class == type
				|| JsonNode.class.isAssignableFrom(type)) {
			return null;
		}
		if (isJdk(type)) {
			return type.getName() + " is a JDK type with no canonical form";
		}
		if (properties(type).isEmpty()) {
			return type.getName() + " has no properties (getters) to key on";
		}
		return null;
	}

	static String singleUseReason(Class<?> type) {
		for (Class<?> refused : SINGLE_USE) {
			if (refused.isAssignableFrom(type)) {
				return type.getName() + " is a " + refused.getSimpleName()
						+ ", which cannot be read without consuming or running it";
			}
		}
		if (isPublisher(type)) {
			return type.getName() + " is a reactive Publisher, which cannot be read without subscribing";
		}
		if (type.getPackageName().equals("java.util.function") || Runnable.class.isAssignableFrom(type)
				|| java.util.concurrent.Callable.class.isAssignableFrom(type)) {
			return type.getName() + " is a function, which has no value to key on";
		}
		return null;
	}

	private static boolean isPublisher(Class<?> type) {
		for (Class<?> c = type; c != null; c = c.getSuperclass()) {
			if (c.getName().equals("org.reactivestreams.Publisher")) {
				return true;
			}
			for (Class<?> i : c.getInterfaces()) {
				if (isPublisher(i)) {
					return true;
				}
			}
		}
		return false;
	}

	static boolean isJdk(Class<?> type) {
		String name = type.getName();
		return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
				|| name.startsWith("sun.") || name.startsWith("com.sun.");
	}

	static boolean isKnownValue(Class<?> type) {
		return CharSequence.class.isAssignableFrom(type) || Number.class.isAssignableFrom(type) || type == Boolean.class
				|| type == Character.class || type == UUID.class || type == URI.class || type == URL.class
				|| type == Locale.class || type == Currency.class || Charset.class.isAssignableFrom(type)
				|| ZoneId.class.isAssignableFrom(type) || Date.class.isAssignableFrom(type) || type == Class.class
				|| type.getPackageName().equals("java.time");
	}

	static List<PropertyDescriptor> properties(Class<?> type) {
		List<PropertyDescriptor> readable = new ArrayList<>();
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() != null && !"class".equals(property.getName())) {
				readable.add(property);
			}
		}
		readable.sort(Comparator.comparing(PropertyDescriptor::getName));
		return readable;
	}

}
