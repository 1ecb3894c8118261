package io.github.optimization.cache.annotation;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;

/**
 * Applies the {@link TieredCacheBatchInterceptor} to methods annotated with
 * {@link TieredCacheableBatch}. Matching parses and validates the annotation and the
 * method's signature, so an invalid one fails when the bean is created. It has the order
 * of the {@code @TieredCacheable} advisor ({@code optimization.cache.advisor-order}).
 */
public final class TieredCacheBatchAdvisor extends AbstractPointcutAdvisor {

	private final transient TieredCacheBatchInterceptor interceptor;

	private final transient Pointcut pointcut;

	/**
	 * Create an advisor.
	 * @param source the operation source
	 * @param interceptor the interceptor
	 * @param order the advisor's order
	 */
	public TieredCacheBatchAdvisor(TieredCacheBatchOperationSource source, TieredCacheBatchInterceptor interceptor,
			int order) {
		this.interceptor = interceptor;
		this.pointcut = new AnnotatedMethodsPointcut(TieredCacheableBatch.class, source::isAnnotated);
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
