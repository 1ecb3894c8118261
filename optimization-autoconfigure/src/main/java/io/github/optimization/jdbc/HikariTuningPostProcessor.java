package io.github.optimization.jdbc;

import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Tunes every {@link HikariDataSource} bean with a {@link HikariPoolTuner} before the
 * bean is initialized, so before its pool starts. Runs after Spring Boot has bound
 * {@code spring.datasource.hikari.*} onto the bean (that binding is itself a
 * higher-priority bean post-processor), so bound values are seen as the application's.
 */
public class HikariTuningPostProcessor implements BeanPostProcessor {

	private final Supplier<HikariPoolTuner> tuner;

	/**
	 * Creates a post-processor.
	 * @param tuner supplies the tuner on first use (once), so that creating the
	 * post-processor does not create other beans early
	 */
	public HikariTuningPostProcessor(Supplier<HikariPoolTuner> tuner) {
		Assert.notNull(tuner, "tuner must not be null");
		this.tuner = SingletonSupplier.of(tuner);
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof HikariDataSource dataSource) {
			this.tuner.get().tune(dataSource, beanName);
		}
		return bean;
	}

}
