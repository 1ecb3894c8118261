package io.github.optimization.cache.codec;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class TypeAllowListTests {

	private final TypeAllowList allowList = new TypeAllowList(List.of("com.example.app", "org.acme.billing"));

	@ParameterizedTest
	@ValueSource(strings = { "java.lang.String", "java.lang.Long", "java.lang.Object", "java.math.BigDecimal",
			"java.math.BigInteger", "java.util.UUID", "java.time.Instant", "java.time.ZonedDateTime",
			"java.time.Duration", "java.time.DayOfWeek", "java.util.List", "java.util.ArrayList",
			"java.util.LinkedHashMap", "java.util.TreeSet", "java.util.Optional", "int", "boolean", "double" })
	void allowsJdkValueTypesAndPrimitives(String name) {
		assertThat(this.allowList.isAllowed(name)).isTrue();
		assertThat(new TypeAllowList(List.of()).isAllowed(name)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "com.example.app.User", "com.example.app.model.deep.Item", "com.example.app.Outer$Inner",
			"com.example.app.Outer$Inner$Deeper", "org.acme.billing.Invoice" })
	void allowsClassesInAllowedPackagesAndSubPackages(String name) {
		assertThat(this.allowList.isAllowed(name)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "com.example.application.User", "com.example.appx.User", "com.example.User",
			"com.example.app", "com.example.ap.User", "com.example.app.", "com.example.app..User",
			"com.example.app.User ", " com.example.app.User", "com.example.app.Us er", "com.example.app.User<x>",
			"com.example.app.User\u0000", "org.acme.billingx.Invoice" })
	void rejectsLookAlikesAndMalformedNames(String name) {
		assertThat(this.allowList.isAllowed(name)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "java.net.URL", "javax.naming.InitialContext",
			"org.springframework.context.support.ClassPathXmlApplicationContext", "com.sun.rowset.JdbcRowSetImpl",
			"java.lang.Runtime", "java.lang.ProcessBuilder", "java.lang.Class", "java.lang.Thread",
			"java.util.PriorityQueue", "java.io.File", "void", "" })
	void rejectsJdkAndLibraryTypesOutsideTheList(String name) {
		assertThat(this.allowList.isAllowed(name)).isFalse();
	}

	@Test
	void rejectsNull() {
		assertThat(this.allowList.isAllowed(null)).isFalse();
		assertThat(this.allowList.isAllowedCanonical(null)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "[Lcom.example.app.User;", "[[Lcom.example.app.User;", "com.example.app.User[]",
			"com.example.app.User[][]", "[I", "[[J", "int[]", "[Ljava.lang.String;", "java.lang.String[]" })
	void allowsArraysOfAllowedTypes(String name) {
		assertThat(this.allowList.isAllowed(name)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "[Ljava.net.URL;", "java.net.URL[]", "[Lcom.example.application.User;", "[", "[L;", "[Q",
			"[II", "[Lint;", "[Lcom.example.app.User", "com.example.app.User[", "[[Lcom.example.app.User;;" })
	void rejectsArraysOfOtherTypesAndMalformedArrays(String name) {
		assertThat(this.allowList.isAllowed(name)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "com.example.app.User", "java.util.List<com.example.app.User>",
			"java.util.Map<java.lang.String,java.util.List<com.example.app.Item>>",
			"java.util.Map<java.util.List<com.example.app.Key>,java.util.Set<[Lcom.example.app.Item;>>",
			"com.example.app.Page<com.example.app.User>", "java.util.Optional<org.acme.billing.Invoice>",
			"[Lcom.example.app.User;", "com.example.app.User[]", "java.util.List<java.lang.Object>" })
	void allowsCanonicalTypesWhoseEveryNameIsAllowed(String canonical) {
		assertThat(this.allowList.isAllowedCanonical(canonical)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "java.util.List<java.net.URL>",
			"java.util.Map<java.lang.String,java.util.List<javax.naming.InitialContext>>",
			"java.util.Map<java.net.URL,java.lang.String>", "java.util.PriorityQueue<com.example.app.User>",
			"com.example.app.Page<com.example.application.User>", "java.util.List<[Ljava.net.URL;>" })
	void rejectsCanonicalTypesNamingAnyDisallowedClass(String canonical) {
		assertThat(this.allowList.isAllowedCanonical(canonical)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "java.util.List<", "java.util.List<>", "java.util.List<java.lang.String>>",
			"java.util.List<java.lang.String,>", "java.util.List<,java.lang.String>", "<java.lang.String>",
			"java.lang.String,java.lang.Long", "java.util.List<java.lang.String>java.net.URL",
			"java.util.List<java.lang.String><java.lang.Long>", "java.util.List<java.lang.String> ",
			"java.util.List< java.lang.String>", "java.util.List<java.lang.String>,", ">", "java.util.Map<a.b.C" })
	void rejectsMalformedCanonicalTypes(String canonical) {
		assertThat(this.allowList.isAllowedCanonical(canonical)).isFalse();
	}

	@Test
	void deeplyNestedCanonicalTypeIsCheckedWithoutRecursion() {
		int depth = 5_000;
		String nested = "java.util.List<".repeat(depth) + "com.example.app.User" + ">".repeat(depth);
		assertThat(this.allowList.isAllowedCanonical(nested)).isTrue();
		String hostile = "java.util.List<".repeat(depth) + "java.net.URL" + ">".repeat(depth);
		assertThat(this.allowList.isAllowedCanonical(hostile)).isFalse();
	}

	@Test
	void exposesTheConfiguredPackagesSorted() {
		assertThat(this.allowList.allowedPackages()).containsExactly("com.example.app", "org.acme.billing");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.allowList.allowedPackages().add("com.other"));
	}

	@Test
	void rejectsNullCollectionAndNullEntries() {
		assertThatNullPointerException().isThrownBy(() -> new TypeAllowList(null))
			.withMessage("allowedPackages must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> new TypeAllowList(Arrays.asList("com.example", null)))
			.withMessage("allowedPackages must not contain null");
	}

	@Test
	void rejectsBlankPackages() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TypeAllowList(List.of("  ")))
			.withMessage("An allowed package must not be blank");
	}

	@ParameterizedTest
	@ValueSource(strings = { "*", "com.example.*", "com.*.app" })
	void rejectsWildcards(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> new TypeAllowList(List.of(name)))
			.withMessage("Allowed package '" + name
					+ "' must not contain a wildcard: a package already allows its sub-packages");
	}

	@ParameterizedTest
	@ValueSource(strings = { "com..example", "com.example.", ".com.example", "1com.example", "com.exa mple",
			"com.example/app", " com.example", "com.example-app" })
	void rejectsNamesThatAreNotPackageNames(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> new TypeAllowList(List.of(name)))
			.withMessage("Allowed package '" + name
					+ "' is not a package name: expected dot-separated Java identifiers such as com.example.app");
	}

	@ParameterizedTest
	@ValueSource(strings = { "java", "java.lang", "java.util", "javax.naming", "jdk.internal", "sun.misc", "com.sun",
			"com.sun.rowset" })
	void rejectsJdkPackages(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> new TypeAllowList(List.of(name)))
			.withMessage("Allowed package '" + name
					+ "' is a JDK package: JDK value types are allowed one by one, JDK packages never as a whole");
	}

	@ParameterizedTest
	@ValueSource(strings = { "com", "org", "io" })
	void rejectsSingleSegmentPackages(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> new TypeAllowList(List.of(name)))
			.withMessage("Allowed package '" + name + "' is too broad: use at least two segments, such as com.example");
	}

	@Test
	void javaLookAlikePackagesAreNotJdkPackages() {
		TypeAllowList javaish = new TypeAllowList(List.of("javafoo.app", "com.sunny"));
		assertThat(javaish.isAllowed("javafoo.app.Thing")).isTrue();
		assertThat(javaish.isAllowed("com.sunny.Thing")).isTrue();
		assertThat(javaish.isAllowed("com.sun.rowset.JdbcRowSetImpl")).isFalse();
	}

}
