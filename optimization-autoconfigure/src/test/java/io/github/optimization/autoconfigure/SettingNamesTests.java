package io.github.optimization.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.optimization.autoconfigure.cache.TieredCacheProperties;
import io.github.optimization.autoconfigure.jdbc.JdbcOptimizationProperties;
import io.github.optimization.autoconfigure.llm.LlmProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.ResolvableType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The setting names found by introspection agree with the configuration metadata.
 */
class SettingNamesTests {

	private static final Map<String, Class<?>> PROPERTIES = Map.of("optimization.cache", TieredCacheProperties.class,
			"optimization.jdbc", JdbcOptimizationProperties.class, "optimization.llm", LlmProperties.class);

	@Test
	void everyPropertyOfTheMetadataIsASetting() throws IOException {
		List<String> names = new ArrayList<>();
		for (URL url : Collections
			.list(getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
			names.addAll(optimizationNames(url));
		}
		assertThat(names).hasSizeGreaterThan(60).allSatisfy(this::assertIsASetting);
	}

	@Test
	void everyPropertyOfTheAdditionalMetadataIsASetting() throws IOException {
		URL url = getClass().getClassLoader().getResource("META-INF/additional-spring-configuration-metadata.json");
		assertThat(optimizationNames(url)).isNotEmpty().allSatisfy(this::assertIsASetting);
	}

	@Test
	void mapKeysAndListIndexesAreTheUsersChoice() {
		assertIsASetting("optimization.cache.caches.any-name.l1.maximum-size");
		assertIsASetting("optimization.cache.caches[with.dots].ttl");
		assertIsASetting("optimization.llm.pricing.[gpt-4.1].input");
		assertIsASetting("optimization.jdbc.replicas[3].maximum-pool-size");
	}

	@Test
	void distanceCountsASwapAsOneEdit() {
		assertThat(SettingNames.distance("ttl", "tll")).isEqualTo(1);
		assertThat(SettingNames.distance("cahces", "caches")).isEqualTo(1);
		assertThat(SettingNames.distance("maxsize", "maximumsize")).isEqualTo(4);
	}

	private void assertIsASetting(String name) {
		String prefix = name.substring(0, name.indexOf('.', "optimization.".length()));
		SettingNames names = new SettingNames(ConfigurationPropertyName.of(prefix),
				ResolvableType.forClass(PROPERTIES.get(prefix)));
		SettingNames.Suggestion suggestion = names.suggest(ConfigurationPropertyName.of(name));
		assertThat(suggestion.name()).as(name).isNotNull();
		assertThat(suggestion.corrected()).as(name).isFalse();
	}

	private static List<String> optimizationNames(URL url) throws IOException {
		List<String> names = new ArrayList<>();
		try (InputStream in = url.openStream()) {
			for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
				String name = property.path("name").asText();
				if (name.startsWith("optimization.")) {
					names.add(name);
				}
			}
		}
		return names;
	}

}
