package io.github.optimization.architecture;

import java.util.LinkedHashMap;
import java.util.Map;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of {@code shared/DESIGN.md} ("no package cycles" and the arrows it
 * forbids), written once for any base package so that the same rules can be shown to fail
 * on a fixture that breaks them.
 */
final class ArchitectureRules {

	private ArchitectureRules() {
	}

	/**
	 * The rules, by name, for the packages below {@code base}.
	 * @param base the base package, {@code io.github.optimization} for the product
	 * @return the rules in the order they are documented
	 */
	static Map<String, ArchRule> below(String base) {
		Map<String, ArchRule> rules = new LinkedHashMap<>();
		rules.put("no package cycles", slices().matching(base + ".(**)").should().beFreeOfCycles());
		rules.put("the core knows only its ports", coreKnowsOnlyItsPorts(base));
		rules.put("keys depend on nothing of ours", dependsOnNothingElseOfOurs(base, "cache.key"));
		rules.put("the codec depends on nothing of ours", dependsOnNothingElseOfOurs(base, "cache.codec"));
		rules.put("nothing below the annotations knows them", nothingBelowKnowsAnnotations(base));
		rules.put("only the wiring knows auto-configuration", onlyWiringKnowsAutoConfiguration(base));
		return rules;
	}

	private static ArchRule coreKnowsOnlyItsPorts(String base) {
		return noClasses().that()
			.resideInAPackage(base + ".cache")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(base + ".cache.redis..", base + ".cache.annotation..", base + ".llm..",
					base + ".autoconfigure..", base + ".resilience..", base + ".metrics..", base + ".health..",
					base + ".actuate..", "org.springframework.boot..", "io.lettuce..",
					"org.springframework.data.redis..")
			.because("the cache core reaches Redis, the breaker and the meters only through the ports it defines");
	}

	private static ArchRule dependsOnNothingElseOfOurs(String base, String pkg) {
		return noClasses().that()
			.resideInAPackage(base + "." + pkg + "..")
			.should()
			.dependOnClassesThat(resideInAPackage(base + "..").and(not(resideInAPackage(base + "." + pkg + ".."))))
			.because(pkg + " sits below everything else and depends on nothing above it");
	}

	private static ArchRule nothingBelowKnowsAnnotations(String base) {
		return noClasses().that()
			.resideInAnyPackage(base + ".cache", base + ".cache.key..", base + ".cache.codec..",
					base + ".cache.redis..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(base + ".cache.annotation..", base + ".llm..")
			.because("data flows one way: annotation, interceptor, cache, tiers");
	}

	private static ArchRule onlyWiringKnowsAutoConfiguration(String base) {
		return noClasses().that()
			.resideOutsideOfPackage(base + ".autoconfigure..")
			.and()
			.resideInAPackage(base + "..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(base + ".autoconfigure..", "org.springframework.boot.autoconfigure..")
			.because("features know nothing of how Spring Boot wires them");
	}

}
