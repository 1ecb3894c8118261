package io.github.optimization.cache.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.function.BiPredicate;

import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Matches the methods an operation source recognizes as carrying one of the starter's
 * caching annotations; classes that cannot carry it are skipped without looking at their
 * methods. The source parses and validates the annotation while matching, so an invalid
 * one fails when the bean is created.
 */
public final class AnnotatedMethodsPointcut extends StaticMethodMatcherPointcut {

	private final BiPredicate<Method, Class<?>> annotated;

	/**
	 * Create a pointcut.
	 * @param annotation the annotation, for the class filter
	 * @param annotated whether a method of a target class carries it (and is valid)
	 */
	public AnnotatedMethodsPointcut(Class<? extends Annotation> annotation, BiPredicate<Method, Class<?>> annotated) {
		this.annotated = annotated;
		setClassFilter((clazz) -> AnnotationUtils.isCandidateClass(clazz, annotation));
	}

	@Override
	public boolean matches(Method method, Class<?> targetClass) {
		return this.annotated.test(method, targetClass);
	}

}
