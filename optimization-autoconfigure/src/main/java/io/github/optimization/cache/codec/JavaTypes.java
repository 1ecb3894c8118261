package io.github.optimization.cache.codec;

import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeBindings;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.ClassUtil;

/**
 * The type reasoning of the codec: when a declared type is precise enough to decode into,
 * which type describes a runtime value, and when a stored type fits an expected one.
 */
final class JavaTypes {

	/** Collection and map interfaces Jackson maps to a standard implementation. */
	private static final Set<Class<?>> STANDARD_CONTAINERS = Set.of(Collection.class, List.class, Set.class,
			SortedSet.class, NavigableSet.class, Map.class, SortedMap.class, NavigableMap.class);

	/**
	 * Beyond this nesting, content types are not derived (and self-containing values
	 * end).
	 */
	private static final int MAX_DERIVE_DEPTH = 16;

	private JavaTypes() {
	}

	/**
	 * Whether JSON can be bound to a type without any type information from the bytes:
	 * not {@code Object}, not abstract (save the standard collection and map interfaces),
	 * and the same for every content, key and type parameter.
	 * @param type the type, may be {@code null}
	 * @return whether the type is concrete enough
	 */
	static boolean isConcrete(JavaType type) {
		if (type == null || type.isJavaLangObject()) {
			return false;
		}
		if (type.isPrimitive()) {
			return true;
		}
		if (type.isArrayType()) {
			return isConcrete(type.getContentType());
		}
		Class<?> raw = type.getRawClass();
		if (type.isContainerType()) {
			if (!STANDARD_CONTAINERS.contains(raw) && !isConcreteClass(raw)) {
				return false;
			}
			if (type.isMapLikeType() && !isConcrete(type.getKeyType())) {
				return false;
			}
			return isConcrete(type.getContentType());
		}
		if (!isConcreteClass(raw)) {
			return false;
		}
		TypeBindings bindings = type.getBindings();
		for (int i = 0; i < bindings.size(); i++) {
			if (!isConcrete(bindings.getBoundType(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isConcreteClass(Class<?> raw) {
		return raw.isEnum() || !(raw.isInterface() || Modifier.isAbstract(raw.getModifiers()));
	}

	/**
	 * Whether a value of type {@code actual} may be returned where {@code expected} is
	 * declared. Type parameters are compared covariantly ({@code List<Circle>} fits
	 * {@code List<Shape>}), which is sound for cached values that are only read.
	 * @param expected the declared type; {@code null} or {@code Object} accepts
	 * everything
	 * @param actual the type a value was stored as
	 * @return whether it fits
	 */
	static boolean isAssignable(JavaType expected, JavaType actual) {
		if (expected == null || expected.isJavaLangObject()) {
			return true;
		}
		if (!boxed(expected.getRawClass()).isAssignableFrom(boxed(actual.getRawClass()))) {
			return false;
		}
		if (expected.isArrayType()) {
			return isAssignable(expected.getContentType(), actual.getContentType());
		}
		TypeBindings expectedBindings = expected.getBindings();
		if (expectedBindings.isEmpty()) {
			return true;
		}
		JavaType view = actual.findSuperType(expected.getRawClass());
		if (view == null || view.getBindings().size() != expectedBindings.size()) {
			return false;
		}
		TypeBindings actualBindings = view.getBindings();
		for (int i = 0; i < expectedBindings.size(); i++) {
			if (!isAssignable(expectedBindings.getBoundType(i), actualBindings.getBoundType(i))) {
				return false;
			}
		}
		return true;
	}

	private static Class<?> boxed(Class<?> type) {
		return type.isPrimitive() ? ClassUtil.wrapperType(type) : type;
	}

	/**
	 * The type that describes a runtime value: {@code java.util.List<E>},
	 * {@code java.util.Set<E>} or {@code java.util.Map<K,V>} for lists, sets and maps
	 * (whatever their implementation), with {@code E}, {@code K} and {@code V} the common
	 * type of the non-null elements, or {@code Object} when they differ or there are
	 * none; {@code Optional<E>} likewise; the declaring class of an enum constant;
	 * otherwise the value's class.
	 * @param value the value, not {@code null}
	 * @param typeFactory the factory to build types with
	 * @return the type; never {@code null}
	 */
	static JavaType derive(Object value, TypeFactory typeFactory) {
		return derive(value, typeFactory, 0);
	}

	private static JavaType derive(Object value, TypeFactory typeFactory, int depth) {
		if (value instanceof List<?> list) {
			return typeFactory.constructCollectionType(List.class, common(list, typeFactory, depth));
		}
		if (value instanceof Set<?> set) {
			return typeFactory.constructCollectionType(Set.class, common(set, typeFactory, depth));
		}
		if (value instanceof Map<?, ?> map) {
			return typeFactory.constructMapType(Map.class, common(map.keySet(), typeFactory, depth),
					common(map.values(), typeFactory, depth));
		}
		if (value instanceof Optional<?> optional) {
			JavaType content = optional.isPresent() && depth < MAX_DERIVE_DEPTH
					? derive(optional.get(), typeFactory, depth + 1) : TypeFactory.unknownType();
			return typeFactory.constructReferenceType(Optional.class, content);
		}
		return typeFactory.constructType(classOf(value));
	}

	private static JavaType common(Iterable<?> elements, TypeFactory typeFactory, int depth) {
		if (depth >= MAX_DERIVE_DEPTH) {
			return TypeFactory.unknownType();
		}
		JavaType common = null;
		Class<?> lastPlainClass = null;
		for (Object element : elements) {
			if (element == null) {
				continue;
			}
			JavaType type;
			if (element instanceof Collection<?> || element instanceof Map<?, ?> || element instanceof Optional<?>) {
				type = derive(element, typeFactory, depth + 1);
				lastPlainClass = null;
			}
			else {
				Class<?> elementClass = classOf(element);
				if (elementClass == lastPlainClass) {
					continue;
				}
				lastPlainClass = elementClass;
				type = typeFactory.constructType(elementClass);
			}
			if (common == null) {
				common = type;
			}
			else if (!common.equals(type)) {
				return TypeFactory.unknownType();
			}
		}
		return (common != null) ? common : TypeFactory.unknownType();
	}

	private static Class<?> classOf(Object value) {
		return (value instanceof Enum<?> constant) ? constant.getDeclaringClass() : value.getClass();
	}

}
