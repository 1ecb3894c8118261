package io.github.optimization.cache.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * A method carrying one of the caching annotations, as a {@link CacheOperationSource}
 * found it (the most specific method of the target class), with the checks and parsing
 * that every annotation shares: the cache name, the TTL, SpEL over the arguments,
 * references to parameters and the declared value type. A problem found at startup is
 * thrown by {@link #invalid} as an {@link IllegalStateException} that starts with
 * {@link #where()}.
 *
 * <p>
 * Immutable and thread-safe.
 */
public final class AnnotatedMethod {

	private static final Pattern POSITIONAL = Pattern.compile("[pa](\\d+)");

	private static final Class<?> PUBLISHER = ClassUtils
		.isPresent("org.reactivestreams.Publisher", AnnotatedMethod.class.getClassLoader())
				? ClassUtils.resolveClassName("org.reactivestreams.Publisher", AnnotatedMethod.class.getClassLoader())
				: null;

	private final Method method;

	private final Class<?> targetClass;

	private final String annotation;

	private final String identity;

	private final String where;

	private final String[] parameterNames;

	private final CacheExpressions expressions;

	/** The SpEL variable names of each argument: its name, {@code pN} and {@code aN}. */
	final String[][] argumentVariables;

	AnnotatedMethod(Method method, Class<?> targetClass, Class<? extends Annotation> annotation,
			CacheExpressions expressions) {
		this.method = method;
		this.targetClass = targetClass;
		this.annotation = "@" + annotation.getSimpleName();
		this.identity = identity(method);
		this.where = this.annotation + " on " + method.getDeclaringClass().getName() + "." + method.getName();
		this.expressions = expressions;
		this.parameterNames = expressions.parameterNames(method);
		this.argumentVariables = new String[method.getParameterCount()][];
		for (int i = 0; i < this.argumentVariables.length; i++) {
			this.argumentVariables[i] = (this.parameterNames != null && i < this.parameterNames.length)
					? new String[] { this.parameterNames[i], "p" + i, "a" + i } : new String[] { "p" + i, "a" + i };
		}
	}

	/**
	 * The identity of a method in keys: its class, name and parameter types, e.g.
	 * {@code com.example.UserService#user(long)}.
	 */
	static String identity(Method method) {
		return method.getDeclaringClass().getName() + "#" + method.getName()
				+ Arrays.stream(method.getParameterTypes())
					.map(Class::getTypeName)
					.collect(Collectors.joining(",", "(", ")"));
	}

	/** The annotated method (the most specific one of the target class). */
	public Method method() {
		return this.method;
	}

	/** The target class (the declaring class when the call has no target). */
	public Class<?> targetClass() {
		return this.targetClass;
	}

	/**
	 * The method's identity in keys, e.g. {@code com.example.UserService#user(long)}.
	 */
	public String identity() {
		return this.identity;
	}

	/**
	 * How startup messages name the method, e.g.
	 * {@code @TieredCacheable on com.example.UserService.user}.
	 */
	public String where() {
		return this.where;
	}

	/**
	 * How messages at call time name the method, e.g.
	 * {@code @TieredCacheable on com.example.UserService#user(long)}.
	 */
	public String name() {
		return this.annotation + " on " + this.identity;
	}

	/**
	 * The parameter names, or {@code null} if the class was compiled without them.
	 */
	public String[] parameterNames() {
		return (this.parameterNames != null) ? this.parameterNames.clone() : null;
	}

	/** A parameter's name, or {@code argN} if names are not available. */
	public String parameterLabel(int index) {
		return (this.parameterNames != null && index < this.parameterNames.length) ? this.parameterNames[index]
				: "arg" + index;
	}

	/** The declared return type, resolved against the target class. */
	public ResolvableType returnType() {
		return ResolvableType.forMethodReturnType(this.method, this.targetClass);
	}

	/** Whether the method also carries another annotation. */
	public boolean alsoHas(Class<? extends Annotation> other) {
		return AnnotatedElementUtils.hasAnnotation(this.method, other);
	}

	/**
	 * The failure for an invalid annotation or signature.
	 * @param problem what is wrong and what to change
	 * @return an exception whose message is {@link #where()}, a colon and the problem
	 */
	public IllegalStateException invalid(String problem) {
		return new IllegalStateException(this.where + ": " + problem);
	}

	/**
	 * The annotation's cache name, checked.
	 * @throws IllegalStateException if it is blank
	 */
	public String cacheName(String cache) {
		if (!StringUtils.hasText(cache)) {
			throw invalid("cache must name a cache");
		}
		return cache;
	}

	/**
	 * The annotation's TTL in Spring's duration format, or {@code null} if empty.
	 * @throws IllegalStateException if it is not a duration of at least 1ms
	 */
	public Duration ttl(String ttl) {
		if (!StringUtils.hasText(ttl)) {
			return null;
		}
		Duration parsed;
		try {
			parsed = DurationStyle.detectAndParse(ttl.trim());
		}
		catch (IllegalArgumentException ex) {
			throw invalid("ttl '" + ttl
					+ "' is not a duration; use Spring's format, e.g. \"10m\", \"24h\", \"30s\" or \"PT10M\"");
		}
		if (parsed.isNegative() || parsed.toMillis() == 0) {
			throw invalid("ttl '" + ttl + "' must be at least 1ms");
		}
		return parsed;
	}

	/**
	 * An attribute's SpEL, parsed, or {@code null} if it is empty.
	 * @param text the attribute's value
	 * @param attribute the attribute's name, for messages
	 * @return the expression, or {@code null}
	 * @throws IllegalStateException if it is not valid SpEL (naming the method by its
	 * full signature)
	 */
	public Expression expression(String text, String attribute) {
		if (!StringUtils.hasText(text)) {
			return null;
		}
		try {
			return this.expressions.parse(text);
		}
		catch (ParseException ex) {
			throw new IllegalStateException(this.annotation + " on " + this.method.toGenericString() + ": " + attribute
					+ " '" + text + "' is not valid SpEL: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The parameter a SpEL variable of an attribute refers to.
	 * @param variable the variable without {@code #}: a parameter name, {@code pN} or
	 * {@code aN}
	 * @param attribute the attribute's name, for messages
	 * @param text the attribute's value, for messages
	 * @return the parameter's index
	 * @throws IllegalStateException if there is no such parameter, or names are not
	 * available
	 */
	public int parameterIndex(String variable, String attribute, String text) {
		String what = attribute + " '" + text + "' ";
		int count = this.method.getParameterCount();
		Matcher positional = POSITIONAL.matcher(variable);
		if (positional.matches()) {
			int index = Integer.parseInt(positional.group(1));
			if (index >= count) {
				throw invalid(what + "refers to parameter " + index + " but the method has " + count);
			}
			return index;
		}
		if (this.parameterNames == null) {
			throw invalid(what + "names a parameter, but parameter names are not available; compile with "
					+ "-parameters or use #p0, #p1, ...");
		}
		int index = Arrays.asList(this.parameterNames).indexOf(variable);
		if (index < 0) {
			String which = text.trim().equals("#" + variable) ? "" : " (#" + variable + ")";
			throw invalid(what + "names no parameter" + which + "; the parameters are "
					+ ((this.parameterNames.length == 0) ? "none" : "#" + String.join(", #", this.parameterNames)));
		}
		return index;
	}

	/**
	 * The value of an expression for a call.
	 * @param expression the expression
	 * @param target the target object
	 * @param args the arguments
	 * @return its value
	 */
	public Object evaluate(Expression expression, Object target, Object[] args) {
		return expression.getValue(CacheExpressions.context(this, target, args, false, null));
	}

	/** Whether a condition over the arguments holds for a call. */
	boolean isTrue(Expression condition, Object target, Object[] args) {
		return Boolean.TRUE
			.equals(condition.getValue(CacheExpressions.context(this, target, args, false, null), Boolean.class));
	}

	/** Whether a condition over the arguments and {@code #result} holds for a call. */
	boolean isTrue(Expression condition, Object target, Object[] args, Object result) {
		return Boolean.TRUE
			.equals(condition.getValue(CacheExpressions.context(this, target, args, true, result), Boolean.class));
	}

	/**
	 * The Jackson type of a declared type, generics included.
	 * @param type the declared type
	 * @return the type cached values are read back into
	 */
	public static JavaType javaType(ResolvableType type) {
		TypeFactory factory = TypeFactory.defaultInstance();
		if (type.isArray()) {
			return factory.constructArrayType(javaType(type.getComponentType()));
		}
		Class<?> raw = type.resolve(Object.class);
		ResolvableType[] generics = type.getGenerics();
		if (generics.length == 0 || raw.getTypeParameters().length != generics.length) {
			return factory.constructType(raw);
		}
		JavaType[] parameters = new JavaType[generics.length];
		for (int i = 0; i < generics.length; i++) {
			parameters[i] = javaType(generics[i]);
		}
		return factory.constructParametricType(raw, parameters);
	}

	/**
	 * Whether a result type completes later: a {@link Future}, a {@link CompletionStage}
	 * or a reactive {@code Publisher} ({@code Mono}, {@code Flux}).
	 * @param type the declared result type
	 * @return whether the result is asynchronous
	 */
	public static boolean isAsynchronous(Class<?> type) {
		return Future.class.isAssignableFrom(type) || CompletionStage.class.isAssignableFrom(type)
				|| (PUBLISHER != null && PUBLISHER.isAssignableFrom(type));
	}

}
