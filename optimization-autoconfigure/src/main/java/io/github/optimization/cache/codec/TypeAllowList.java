package io.github.optimization.cache.codec;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which class names may be resolved from a type descriptor found in untrusted bytes.
 *
 * <p>
 * Allowed are: the primitives; a fixed set of JDK value types and standard collections
 * ({@code String}, the boxed primitives, {@code Object}, {@code BigDecimal},
 * {@code BigInteger}, {@code UUID}, the {@code java.time} value types,
 * {@code List}/{@code ArrayList}/ {@code LinkedList},
 * {@code Set}/{@code HashSet}/{@code LinkedHashSet}/{@code TreeSet},
 * {@code Map}/{@code HashMap}/{@code LinkedHashMap}/{@code TreeMap} and
 * {@code Optional}); every class in one of the configured packages or their sub-packages,
 * nested classes ({@code Outer$Inner}) included; and arrays of allowed types, in either
 * the JVM form ({@code [Lcom.example.User;}) or the source form
 * ({@code com.example.User[]}).
 *
 * <p>
 * Everything is decided on the string alone: no method of this class loads, initializes
 * or even looks up a class. Immutable and thread-safe.
 */
public final class TypeAllowList {

	private static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "char", "short", "int", "long", "float",
			"double");

	private static final Set<String> JDK_TYPES = Set.of("java.lang.Object", "java.lang.String", "java.lang.Boolean",
			"java.lang.Byte", "java.lang.Character", "java.lang.Short", "java.lang.Integer", "java.lang.Long",
			"java.lang.Float", "java.lang.Double", "java.math.BigDecimal", "java.math.BigInteger", "java.util.UUID",
			"java.time.Instant", "java.time.LocalDate", "java.time.LocalDateTime", "java.time.LocalTime",
			"java.time.OffsetDateTime", "java.time.ZonedDateTime", "java.time.Duration", "java.time.Period",
			"java.time.Year", "java.time.YearMonth", "java.time.MonthDay", "java.time.ZoneOffset",
			"java.time.DayOfWeek", "java.time.Month", "java.util.List", "java.util.ArrayList", "java.util.LinkedList",
			"java.util.Set", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.Map",
			"java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.Optional");

	/** Packages whose classes are allowed one by one, never as a whole. */
	private static final List<String> JDK_PACKAGE_ROOTS = List.of("java", "javax", "jdk", "sun", "com.sun");

	private static final String PRIMITIVE_ARRAY_CODES = "ZBCSIJFD";

	private final Set<String> packages;

	private final String[] prefixes;

	/**
	 * Creates an allow-list of the JDK value types plus the given packages.
	 * @param allowedPackages package names such as {@code com.example.app}; each allows
	 * its sub-packages too. May be empty (JDK value types only). Each must be
	 * dot-separated Java identifiers with at least two segments, and must not be a JDK
	 * package ({@code java}, {@code javax}, {@code jdk}, {@code sun}, {@code com.sun} or
	 * below): wildcards are neither needed nor accepted.
	 * @throws NullPointerException if {@code allowedPackages} is {@code null}
	 * @throws IllegalArgumentException naming the offending entry if one is {@code null},
	 * blank, not a package name, a single segment, or a JDK package
	 */
	public TypeAllowList(Collection<String> allowedPackages) {
		Objects.requireNonNull(allowedPackages, "allowedPackages must not be null");
		Set<String> validated = new TreeSet<>();
		for (String name : allowedPackages) {
			validated.add(validatePackage(name));
		}
		this.packages = Collections.unmodifiableSet(validated);
		this.prefixes = validated.stream().map((name) -> name + ".").toArray(String[]::new);
	}

	private static String validatePackage(String name) {
		if (name == null) {
			throw new IllegalArgumentException("allowedPackages must not contain null");
		}
		if (name.isBlank()) {
			throw new IllegalArgumentException("An allowed package must not be blank");
		}
		if (name.indexOf('*') >= 0) {
			throw new IllegalArgumentException("Allowed package '" + name
					+ "' must not contain a wildcard: a package already allows its sub-packages");
		}
		if (!isQualifiedName(name)) {
			throw new IllegalArgumentException("Allowed package '" + name
					+ "' is not a package name: expected dot-separated Java identifiers such as com.example.app");
		}
		for (String root : JDK_PACKAGE_ROOTS) {
			if (name.equals(root) || name.startsWith(root + ".")) {
				throw new IllegalArgumentException("Allowed package '" + name
						+ "' is a JDK package: JDK value types are allowed one by one, JDK packages never as a whole");
			}
		}
		if (name.indexOf('.') < 0) {
			throw new IllegalArgumentException(
					"Allowed package '" + name + "' is too broad: use at least two segments, such as com.example");
		}
		return name;
	}

	/**
	 * The configured packages, without the JDK value types.
	 * @return an unmodifiable, sorted set; never {@code null}
	 */
	public Set<String> allowedPackages() {
		return this.packages;
	}

	/**
	 * Whether a single class name may be resolved. Accepts primitive names, binary names
	 * ({@code com.example.Outer$Inner}) and both array forms; anything else, including
	 * whitespace or generic parameters, is refused.
	 * @param className the name to check; {@code null} is refused
	 * @return whether the class is allowed
	 */
	public boolean isAllowed(String className) {
		if (className == null || className.isEmpty()) {
			return false;
		}
		if (className.charAt(0) == '[') {
			return isAllowedJvmArray(className);
		}
		String element = className;
		while (element.endsWith("[]")) {
			element = element.substring(0, element.length() - 2);
		}
		return PRIMITIVES.contains(element) || isAllowedClass(element);
	}

	private boolean isAllowedJvmArray(String name) {
		int dimensions = 0;
		while (dimensions < name.length() && name.charAt(dimensions) == '[') {
			dimensions++;
		}
		String element = name.substring(dimensions);
		if (element.length() == 1) {
			return PRIMITIVE_ARRAY_CODES.indexOf(element.charAt(0)) >= 0;
		}
		if (element.length() > 2 && element.charAt(0) == 'L' && element.charAt(element.length() - 1) == ';') {
			return isAllowedClass(element.substring(1, element.length() - 1));
		}
		return false;
	}

	private boolean isAllowedClass(String name) {
		if (JDK_TYPES.contains(name)) {
			return true;
		}
		if (!isQualifiedName(name)) {
			return false;
		}
		for (String prefix : this.prefixes) {
			if (name.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether every class named in a Jackson canonical type string is allowed, as
	 * produced by {@link com.fasterxml.jackson.databind.JavaType#toCanonical()}: for
	 * example {@code java.util.Map<java.lang.String,java.util.List<com.example.Item>>} or
	 * {@code [Lcom.example.User;}. The string must also be well formed (balanced
	 * {@code <>}, no empty names, no whitespace), so that every name Jackson would try to
	 * load has been checked here.
	 * @param canonicalJavaType the canonical type string; {@code null} is refused
	 * @return whether the string is well formed and all its class names are allowed
	 */
	public boolean isAllowedCanonical(String canonicalJavaType) {
		if (canonicalJavaType == null || canonicalJavaType.isEmpty()) {
			return false;
		}
		int depth = 0;
		int nameStart = 0;
		boolean afterClose = false;
		int length = canonicalJavaType.length();
		for (int i = 0; i <= length; i++) {
			char c = (i < length) ? canonicalJavaType.charAt(i) : '\0';
			boolean delimiter = i == length || c == '<' || c == ',' || c == '>';
			if (!delimiter) {
				if (afterClose || !isNameChar(c)) {
					return false;
				}
				continue;
			}
			if (afterClose) {
				// after '>' only ',' '>' or the end may follow, never '<' or a name
				if (i > nameStart || c == '<') {
					return false;
				}
			}
			else if (i == nameStart || !isAllowed(canonicalJavaType.substring(nameStart, i))) {
				return false;
			}
			if (c == '<') {
				depth++;
				afterClose = false;
			}
			else if (c == '>') {
				if (--depth < 0) {
					return false;
				}
				afterClose = true;
			}
			else if (c == ',') {
				if (depth == 0) {
					return false;
				}
				afterClose = false;
			}
			nameStart = i + 1;
		}
		return depth == 0;
	}

	private static boolean isNameChar(char c) {
		return c == '.' || c == '[' || c == ']' || c == ';'
				|| (Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c));
	}

	private static boolean isQualifiedName(String name) {
		boolean segmentStart = true;
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '.') {
				if (segmentStart) {
					return false;
				}
				segmentStart = true;
			}
			else if (segmentStart ? Character.isJavaIdentifierStart(c)
					: Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c)) {
				segmentStart = false;
			}
			else {
				return false;
			}
		}
		return !segmentStart;
	}

	@Override
	public String toString() {
		return "TypeAllowList[JDK value types + " + this.packages + "]";
	}

}
