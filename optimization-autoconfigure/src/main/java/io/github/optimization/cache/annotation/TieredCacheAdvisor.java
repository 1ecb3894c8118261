package io.github.optimization.cache.annotation;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;

/**
 * Applies the {@link TieredCacheInterceptor} to methods annotated with
 * {@link TieredCacheable}. Matching parses and validates the annotation, so an invalid
 * one fails when the bean is created. Its order is configurable
 * ({@code optimization.cache.advisor-order}).
 */
public final class TieredCacheAdvisor extends AbstractPointcutAdvisor {

	private final transient TieredCacheInterceptor interceptor;

	private final transient Pointcut pointcut;

	/**
	 * Create an advisor.
	 * @param source the operation source
	 * @param interceptor the interceptor
	 * @param order the advisor's order
	 */
	public TieredCacheAdvisor(TieredCacheOperationSource source, TieredCacheInterceptor interceptor, int order) {
		this.interceptor = interceptor;
		this.pointcut = new AnnotatedMethodsPointcut(TieredCacheable.class, source::isAnnotated);
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
