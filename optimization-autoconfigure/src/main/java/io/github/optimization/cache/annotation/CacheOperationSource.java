package io.github.optimization.cache.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds one caching annotation on methods and turns each into a {@link CacheOperation}
 * with the annotation's {@link Parser}, once per method and target class. An invalid
 * annotation fails when the bean is proxied, that is at startup, with the parser's
 * message naming the method and what to change.
 *
 * <p>
 * Thread-safe.
 *
 * @param <O> the type of the operations
 * @see CacheAnnotationAdvisor how to add an annotation
 */
public class CacheOperationSource<O extends CacheOperation> {

	private static final Object NONE = new Object();

	private final Class<? extends Annotation> annotationType;

	private final BiFunction<Annotation, AnnotatedMethod, O> parser;

	private final CacheExpressions expressions = new CacheExpressions();

	private final Map<MethodClassKey, Object> operations = new ConcurrentHashMap<>(64);

	/**
	 * Last operation seen per method: lets the common case look up without allocating.
	 */
	private final Map<Method, O> lastByMethod = new ConcurrentHashMap<>(64);

	/**
	 * Create a source.
	 * @param <A> the annotation
	 * @param annotationType the annotation
	 * @param parser turns an annotated method into its operation
	 */
	public <A extends Annotation> CacheOperationSource(Class<A> annotationType, Parser<A, O> parser) {
		this.annotationType = annotationType;
		this.parser = (annotation, method) -> parser.parse(annotationType.cast(annotation), method);
	}

	/** The annotation this source finds. */
	final Class<? extends Annotation> annotationType() {
		return this.annotationType;
	}

	/**
	 * The operation of a method, or {@code null} if it is not annotated.
	 * @param method the invoked method
	 * @param targetClass the target class, may be {@code null}
	 * @return the operation, or {@code null}
	 * @throws IllegalStateException if the annotation is invalid
	 */
	@SuppressWarnings("unchecked")
	final O getOperation(Method method, Class<?> targetClass) {
		O last = this.lastByMethod.get(method);
		if (last != null && last.method().targetClass() == targetClass) {
			return last;
		}
		MethodClassKey cacheKey = new MethodClassKey(method, targetClass);
		Object found = this.operations.get(cacheKey);
		if (found == null) {
			O parsed = parse(method, targetClass);
			found = (parsed != null) ? parsed : NONE;
			this.operations.put(cacheKey, found);
		}
		if (found == NONE) {
			return null;
		}
		O operation = (O) found;
		this.lastByMethod.put(method, operation);
		return operation;
	}

	/**
	 * Whether a method carries the annotation (validating it).
	 * @param method the method
	 * @param targetClass the target class
	 * @return whether it is annotated
	 */
	final boolean isAnnotated(Method method, Class<?> targetClass) {
		return getOperation(method, targetClass) != null;
	}

	private O parse(Method method, Class<?> targetClass) {
		Method specific = (targetClass != null) ? AopUtils.getMostSpecificMethod(method, targetClass) : method;
		Annotation annotation = AnnotatedElementUtils.findMergedAnnotation(specific, this.annotationType);
		if (annotation == null && specific != method) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(method, this.annotationType);
		}
		if (annotation == null) {
			return null;
		}
		Class<?> resolvedTarget = (targetClass != null) ? targetClass : method.getDeclaringClass();
		return this.parser.apply(annotation,
				new AnnotatedMethod(specific, resolvedTarget, this.annotationType, this.expressions));
	}

	/**
	 * Turns an annotated method into its operation, checking the annotation and the
	 * method's signature.
	 *
	 * @param <A> the annotation
	 * @param <O> the type of the operations
	 */
	@FunctionalInterface
	public interface Parser<A extends Annotation, O extends CacheOperation> {

		/**
		 * Parse an annotated method.
		 * @param annotation the annotation found on it
		 * @param method the method, with the shared checks
		 * @return the operation
		 * @throws IllegalStateException if the annotation or the signature is invalid
		 * (see {@link AnnotatedMethod#invalid})
		 */
		O parse(A annotation, AnnotatedMethod method);

	}

}
