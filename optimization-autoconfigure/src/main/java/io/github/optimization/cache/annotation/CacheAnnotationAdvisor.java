package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.cache.CacheManager;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Applies one caching annotation: its pointcut matches the methods a
 * {@link CacheOperationSource} recognizes (parsing and validating the annotation, so an
 * invalid one fails when the bean is created; classes that cannot carry it are skipped
 * without looking at their methods), and its advice hands each call to the method's
 * {@link CacheOperation}. Works over whichever {@link CacheManager} the application has;
 * without one, annotated methods simply run.
 *
 * <p>
 * The annotations of the starter share this pipeline and differ only in their operation.
 * Adding an annotation takes one class, its operation:
 *
 * <pre class="code">
 * final class AuditedOperation extends CacheOperation {
 *
 *     private final LoadOptions options;
 *
 *     private AuditedOperation(AnnotatedMethod method, String cacheName, Duration ttl) {
 *         super(method, cacheName, ttl);
 *         this.options = new LoadOptions(ttl, AnnotatedMethod.javaType(method.returnType()), null);
 *     }
 *
 *     static AuditedOperation parse(Audited annotation, AnnotatedMethod method) {
 *         // the shared checks; throw method.invalid("...") for what else is wrong
 *         return new AuditedOperation(method, method.cacheName(annotation.cache()),
 *                 method.ttl(annotation.ttl()));
 *     }
 *
 *     &#64;Override
 *     protected Object invoke(MethodInvocation invocation, Supplier&lt;CacheManager&gt; cacheManager)
 *             throws Throwable {
 *         Cache cache = cache(cacheManager);
 *         if (cache == null) {
 *             return invocation.proceed();
 *         }
 *         Object key = invocation.getArguments()[0]; // the key rule of the annotation
 *         return CacheCalls.getOrLoad(cache, key, () -&gt; CacheCalls.proceed(invocation), this.options);
 *     }
 *
 * }
 * </pre>
 *
 * and its advisor bean in the auto-configuration:
 *
 * <pre class="code">
 * new CacheAnnotationAdvisor(new CacheOperationSource&lt;&gt;(Audited.class, AuditedOperation::parse),
 *         cacheManager::getIfUnique, order)
 * </pre>
 *
 * Every advisor is a {@code CacheAnnotationAdvisor}, so such a bean backs off by name
 * ({@code @ConditionalOnMissingBean(name = "auditedAdvisor")}), not by type. The
 * subclasses of this advisor only give an annotation's advisor a type of its own, so that
 * an application can replace it by type.
 */
public class CacheAnnotationAdvisor extends AbstractPointcutAdvisor {

	private final transient Advice interceptor;

	private final transient Pointcut pointcut;

	/**
	 * Create an advisor.
	 * @param source the operation source of the annotation
	 * @param cacheManager supplies the cache manager on first use; may supply
	 * {@code null} (methods then run uncached)
	 * @param order the advisor's order
	 */
	public CacheAnnotationAdvisor(CacheOperationSource<?> source, Supplier<CacheManager> cacheManager, int order) {
		this.interceptor = new CacheAnnotationInterceptor(source, cacheManager);
		this.pointcut = new AnnotatedMethodsPointcut(source);
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

	/** Matches the methods the source recognizes. */
	private static final class AnnotatedMethodsPointcut extends StaticMethodMatcherPointcut {

		private final CacheOperationSource<?> source;

		AnnotatedMethodsPointcut(CacheOperationSource<?> source) {
			this.source = source;
			setClassFilter((clazz) -> AnnotationUtils.isCandidateClass(clazz, source.annotationType()));
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return this.source.isAnnotated(method, targetClass);
		}

	}

}
