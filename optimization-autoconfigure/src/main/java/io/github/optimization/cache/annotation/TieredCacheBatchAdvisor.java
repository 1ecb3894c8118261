package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Applies the {@link TieredCacheBatchInterceptor} to methods annotated with
 * {@link TieredCacheableBatch}. Matching parses and validates the annotation and the
 * method's signature, so an invalid one fails when the bean is created. It has the order of
 * the {@code @TieredCacheable} advisor ({@code optimization.cache.advisor-order}).
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

		private final TieredCacheBatchOperationSource source;

		AnnotatedMethods(TieredCacheBatchOperationSource source) {
			this.source = source;
			setClassFilter(new ClassFilter() {
				@Override
				public boolean matches(Class<?> clazz) {
					return AnnotationUtils.isCandidateClass(clazz, TieredCacheableBatch.class);
				}
			});
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return this.source.isAnnotated(method, targetClass);
		}

	}

}
