package io.github.optimization.jdbc;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * Which HikariCP settings the application configured itself under a property prefix such
 * as {@code spring.datasource.hikari}. Uses Spring Boot's relaxed binding, so every form
 * Boot binds is recognized: {@code maximum-pool-size}, {@code maximumPoolSize},
 * {@code maximum_pool_size} and {@code SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE}.
 */
@FunctionalInterface
public interface HikariExplicitSettings {

	/**
	 * Settings that are never explicit.
	 */
	HikariExplicitSettings NONE = (property) -> false;

	/**
	 * Whether the application set a property.
	 * @param property the property in kebab case, such as {@code maximum-pool-size}
	 * @return whether it has a value
	 */
	boolean isSet(String property);

	/**
	 * The settings found in an environment under a prefix.
	 * @param environment the environment
	 * @param prefix the prefix, such as {@code spring.datasource.hikari}
	 * @return the settings
	 */
	static HikariExplicitSettings of(Environment environment, String prefix) {
		Binder binder = Binder.get(environment);
		ConfigurationPropertyName root = ConfigurationPropertyName.of(prefix);
		return (property) -> binder.bind(root.append(property), Bindable.of(String.class)).isBound();
	}

}
