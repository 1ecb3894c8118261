package io.github.optimization.architecture;

import java.util.Map;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The product's packages keep the rules of {@code shared/DESIGN.md}; a fixture that
 * breaks each rule shows that the rule fails the build.
 */
class ArchitectureTests {

	private static final String PRODUCT = "io.github.optimization";

	private static final String FIXTURE = "io.github.optimization.architecture.fixture";

	@Test
	void productPackagesKeepEveryRule() {
		JavaClasses product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(PRODUCT);
		assertThat(product).as("the product's main classes were imported").hasSizeGreaterThan(100);
		ArchitectureRules.below(PRODUCT).values().forEach((rule) -> rule.check(product));
	}

	@Test
	void aPackageCycleFailsTheBuild() {
		assertFails("no package cycles", "Cycle detected", "fixture.cache.redis.FixtureRedisStore");
	}

	@Test
	void theCoreReachingIntoRedisFailsTheBuild() {
		assertFails("the core knows only its ports", "FixtureCache", "fixture.cache.redis.FixtureRedisStore");
	}

	@Test
	void keysUsingTheCoreFailTheBuild() {
		assertFails("keys depend on nothing of ours", "FixtureKey", "fixture.cache.FixtureCache");
	}

	@Test
	void theCodecUsingKeysFailsTheBuild() {
		assertFails("the codec depends on nothing of ours", "FixtureCodec", "fixture.cache.key.FixtureKey");
	}

	@Test
	void theRedisSideUsingAnnotationsFailsTheBuild() {
		assertFails("nothing below the annotations knows them", "FixtureRedisStore",
				"fixture.cache.annotation.FixtureAnnotationSource");
	}

	@Test
	void aFeatureUsingTheWiringFailsTheBuild() {
		assertFails("only the wiring knows auto-configuration", "FixtureMeters",
				"fixture.autoconfigure.FixtureAutoConfiguration");
	}

	private void assertFails(String ruleName, String... violationParts) {
		JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE);
		Map<String, ArchRule> rules = ArchitectureRules.below(FIXTURE);
		assertThat(rules).containsKey(ruleName);
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> rules.get(ruleName).check(fixture))
			.satisfies((error) -> assertThat(error.getMessage()).contains(violationParts));
	}

}
