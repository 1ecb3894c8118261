package io.github.optimization.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.optimization.autoconfigure.SettingNames.Suggestion;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;

/**
 * Explains a startup failure caused by a key under one of the starter's prefixes that
 * names no setting, such as {@code optimization.cache.caches.products.tll}: which key,
 * and the nearest valid one. The starter's properties classes refuse unknown fields, so
 * Spring Boot's binder reports every such key; keys of other prefixes are left to Spring
 * Boot.
 */
class UnknownSettingFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException>
		implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		BindException bind = findCause(rootFailure, BindException.class);
		if (bind == null || bind.getCause() != cause) {
			return null;
		}
		ResolvableType type = bind.getTarget().getType();
		if (!SettingNames.isStarterType(type)) {
			return null;
		}
		SettingNames names = new SettingNames(bind.getName(), type);
		List<String> lines = new ArrayList<>();
		for (ConfigurationProperty property : cause.getUnboundProperties()) {
			lines.add(describe(property, names.suggest(property.getName())));
		}
		return new FailureAnalysis(String.join(System.lineSeparator(), lines),
				"Correct the name of the setting or remove it. The settings of the starter are described in "
						+ "docs/configuration.md, docs/database.md and docs/llm.md.",
				cause);
	}

	private static String describe(ConfigurationProperty property, Suggestion suggestion) {
		StringBuilder line = new StringBuilder(property.getName().toString()).append(" is not a known setting");
		if (suggestion.name() != null && suggestion.corrected()) {
			line.append("; did you mean ").append(suggestion.name()).append('?');
		}
		else if (!suggestion.settings().isEmpty()) {
			line.append("; the settings under ")
				.append(suggestion.level())
				.append(" are ")
				.append(String.join(", ", suggestion.settings()));
		}
		if (property.getOrigin() != null) {
			line.append(" (").append(property.getOrigin()).append(')');
		}
		return line.toString();
	}

	/**
	 * Runs before Spring Boot's own analyzer of unbound properties, which reports the
	 * same failure without a suggestion.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
