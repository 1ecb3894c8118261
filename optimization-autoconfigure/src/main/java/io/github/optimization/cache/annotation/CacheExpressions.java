package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;

/**
 * Parses the SpEL of the annotations once (at startup) and evaluates it per call, with
 * the arguments as variables by name ({@code #id}) and position ({@code #p0},
 * {@code #a0}), the result as {@code #result}, and a root object offering {@code method},
 * {@code methodName}, {@code target}, {@code targetClass} and {@code args}. Expressions
 * are compiled after a few interpreted runs. Thread-safe.
 */
public final class CacheExpressions {

	private final ExpressionParser parser = new SpelExpressionParser(
			new SpelParserConfiguration(SpelCompilerMode.MIXED, CacheExpressions.class.getClassLoader()));

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	public Expression parse(String expression, String attribute, Method method) {
		return parse(expression, attribute, method, "@TieredCacheable");
	}

	public Expression parse(String expression, String attribute, Method method, String annotation) {
		try {
			return this.parser.parseExpression(expression);
		}
		catch (ParseException ex) {
			throw new IllegalStateException(annotation + " on " + method.toGenericString() + ": " + attribute + " '"
					+ expression + "' is not valid SpEL: " + ex.getMessage(), ex);
		}
	}

	public String[] parameterNames(Method method) {
		return this.parameterNames.getParameterNames(method);
	}

	Object value(Expression expression, TieredCacheOperation operation, Object target, Object[] args) {
		return expression.getValue(context(operation, target, args, null, false));
	}

	public Object value(Expression expression, Method method, Class<?> targetClass, String[][] argumentVariables,
			Object target, Object[] args) {
		return expression.getValue(context(method, targetClass, argumentVariables, target, args, null, false));
	}

	boolean condition(TieredCacheOperation operation, Object target, Object[] args) {
		return Boolean.TRUE
			.equals(operation.condition.getValue(context(operation, target, args, null, false), Boolean.class));
	}

	boolean unless(TieredCacheOperation operation, Object target, Object[] args, Object result) {
		return Boolean.TRUE
			.equals(operation.unless.getValue(context(operation, target, args, result, true), Boolean.class));
	}

	private EvaluationContext context(TieredCacheOperation operation, Object target, Object[] args, Object result,
			boolean withResult) {
		return context(operation.method, operation.targetClass, operation.argumentVariables, target, args, result,
				withResult);
	}

	private EvaluationContext context(Method method, Class<?> targetClass, String[][] variables, Object target,
			Object[] args, Object result, boolean withResult) {
		RootObject root = new RootObject(method, args, target, targetClass);
		// Variables are set from names worked out once per method: no reflection per
		// call.
		StandardEvaluationContext context = new StandardEvaluationContext(root);
		for (int i = 0; i < variables.length && i < args.length; i++) {
			for (String name : variables[i]) {
				context.setVariable(name, args[i]);
			}
		}
		if (withResult) {
			context.setVariable("result", result);
		}
		return context;
	}

	/**
	 * The root object of the expressions.
	 *
	 * @param method the method
	 * @param args the arguments
	 * @param target the target object
	 * @param targetClass the target class
	 */
	record RootObject(Method method, Object[] args, Object target, Class<?> targetClass) {

		/** The method's name. */
		public String getMethodName() {
			return this.method.getName();
		}

		/** The method. */
		public Method getMethod() {
			return this.method;
		}

		/** The arguments. */
		public Object[] getArgs() {
			return this.args;
		}

		/** The target object. */
		public Object getTarget() {
			return this.target;
		}

		/** The target class. */
		public Class<?> getTargetClass() {
			return this.targetClass;
		}

	}

}
