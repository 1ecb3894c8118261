package io.github.optimization.llm;

import io.github.optimization.cache.annotation.AnnotatedMethodsPointcut;
import io.github.optimization.cache.annotation.CachedLlmResponse;
import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;

/**
 * Applies the {@link CachedLlmResponseInterceptor} to methods annotated with
 * {@link CachedLlmResponse}. Matching parses and validates the annotation, so an invalid
 * one fails when the bean is created.
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
		this.pointcut = new AnnotatedMethodsPointcut(CachedLlmResponse.class, source::isAnnotated);
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

}
