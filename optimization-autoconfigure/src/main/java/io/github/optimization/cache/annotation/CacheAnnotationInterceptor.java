package io.github.optimization.cache.annotation;

import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;
import org.springframework.cache.CacheManager;

/**
 * Hands each call of an annotated method to its {@link CacheOperation}; calls of other
 * methods proceed. Thread-safe.
 */
final class CacheAnnotationInterceptor implements MethodInterceptor {

	private final CacheOperationSource<?> source;

	private final Supplier<CacheManager> cacheManager;

	CacheAnnotationInterceptor(CacheOperationSource<?> source, Supplier<CacheManager> cacheManager) {
		this.source = source;
		this.cacheManager = cacheManager;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
		CacheOperation operation = this.source.getOperation(invocation.getMethod(), targetClass);
		if (operation == null) {
			return invocation.proceed();
		}
		return operation.invoke(invocation, this.cacheManager);
	}

}
