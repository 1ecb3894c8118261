package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;

/**
 * Parses the SpEL of the annotations once (at startup) and builds the context each call
 * evaluates it in: the arguments as variables by name ({@code #id}) and position
 * ({@code #p0}, {@code #a0}), the result as {@code #result} where there is one, and a
 * root object offering {@code method}, {@code methodName}, {@code target},
 * {@code targetClass} and {@code args}. Expressions are compiled after a few interpreted
 * runs. Thread-safe.
 */
final class CacheExpressions {

	private final ExpressionParser parser = new SpelExpressionParser(
			new SpelParserConfiguration(SpelCompilerMode.MIXED, CacheExpressions.class.getClassLoader()));

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	/**
	 * Parse an expression.
	 * @throws org.springframework.expression.ParseException if it is not valid SpEL
	 */
	Expression parse(String expression) {
		return this.parser.parseExpression(expression);
	}

	/** The method's parameter names, or {@code null} if they are not available. */
	String[] parameterNames(Method method) {
		return this.parameterNames.getParameterNames(method);
	}

	/**
	 * The context of one evaluation.
	 * @param method the annotated method (its argument variables are worked out once)
	 * @param target the target object
	 * @param args the arguments
	 * @param withResult whether {@code #result} is defined
	 * @param result the value of {@code #result}
	 * @return the context
	 */
	static EvaluationContext context(AnnotatedMethod method, Object target, Object[] args, boolean withResult,
			Object result) {
		RootObject root = new RootObject(method.method(), args, target, method.targetClass());
		StandardEvaluationContext context = new StandardEvaluationContext(root);
		String[][] variables = method.argumentVariables;
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
