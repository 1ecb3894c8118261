package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Applies the {@link CachedLlmResponseInterceptor} to methods annotated with
 * {@link CachedLlmResponse}. Matching parses and validates the annotation, so an invalid one
 * fails when the bean is created.
 */
public final class CachedLlmResponseAdvisor extends AbstractPointcutAdvisor {

	private final transient CachedLlmResponseInterceptor interceptor;

	private final transient Pointcut pointcut;

	/**
	 * Create an advisor.
	 * @param source the operation source
	 * @param interceptor the interceptor
	 * @param order the advisor's order
	 */
	public CachedLlmResponseAdvisor(CachedLlmResponseOperationSource source, CachedLlmResponseInterceptor interceptor,
			int order) {
		this.interceptor = interceptor;
		this.pointcut = new AnnotatedMethods(source);
		setOrder(order);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

	private static final class AnnotatedMethods extends StaticMethodMatcherPointcut {

		private final CachedLlmResponseOperationSource source;

		AnnotatedMethods(CachedLlmResponseOperationSource source) {
			this.source = source;
			setClassFilter(new ClassFilter() {
				@Override
				public boolean matches(Class<?> clazz) {
					return AnnotationUtils.isCandidateClass(clazz, CachedLlmResponse.class);
				}
			});
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return this.source.isAnnotated(method, targetClass);
		}

	}

}
