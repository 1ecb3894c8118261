package io.github.optimization.cache.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.github.optimization.autoconfigure.cache.TieredCacheAutoConfiguration;
import io.github.optimization.cache.LoadOptions;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheManager;
import io.github.optimization.cache.key.RedisKeyScheme;
import io.github.optimization.test.BootAutoConfigurations;
import io.github.optimization.test.redis.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Redis shared by a fleet upgraded instance by instance: what an instance on one
 * Spring Boot line writes, an instance on the other reads. Both lines run these tests
 * against the same committed bytes ({@code src/test/resources/codec-golden}): each line
 * must write exactly those bytes for every kind of value the codec supports (compressed
 * ones too), through a real application context and Redis, and read them back into equal
 * values; so the 3.5 line reads what the Boot 4 line writes, and the reverse. A user's
 * own Jackson settings change nothing.
 *
 * <p>
 * The bytes were written by {@code -Dcodec.golden.write=<folder>}; a change of the
 * codec's format that makes them fail breaks a rolling upgrade and needs a new schema
 * version.
 */
class CrossLineCodecTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	/** The expiry in every envelope: 2100-01-01. */
	private static final long EXPIRES_AT = 4_102_444_800_000L;

	/**
	 * Where the expiry sits in an envelope: after magic (2), version (1) and flags (1).
	 */
	private static final int EXPIRY_OFFSET = 4;

	private static final TypeFactory TYPES = TypeFactory.defaultInstance();

	private final CacheValueCodec codec = new CacheValueCodec(CacheValueCodec.defaultObjectMapper(),
			CodecSettings.defaults(), new TypeAllowList(List.of("io.github.optimization.cache.codec")));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.REDIS, TieredCacheAutoConfiguration.class))
		.withUserConfiguration(UserJackson.class)
		.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"optimization.cache.redis.command-timeout=1s", "optimization.cache.invalidation.enabled=false",
				"optimization.cache.codec.allowed-packages=io.github.optimization.cache.codec",
				"optimization.cache.defaults.ttl-jitter=0");

	@BeforeEach
	void emptyRedis() {
		redis.flushAll();
	}

	@Test
	void everyKindOfValueEncodesToTheSharedBytesAndDecodesFromThem() {
		writeGoldenIfAsked();
		for (Sample sample : samples()) {
			byte[] golden = golden(sample.name());
			assertThat(this.codec.encode(sample.value(), sample.type(), EXPIRES_AT)).as(sample.name())
				.isEqualTo(golden);
			Decoded decoded = this.codec.decode(golden, sample.type());
			assertThat(decoded.isRejected()).as(sample.name()).isFalse();
			assertThat(decoded.isNull() ? null : decoded.value()).as(sample.name()).isEqualTo(sample.value());
		}
	}

	@Test
	void anApplicationWritesTheSharedBytesToRedisAndReadsThemFromThere() {
		this.runner.run((context) -> {
			TieredCache cache = (TieredCache) context.getBean(TieredCacheManager.class).getCache("shared");
			RedisKeyScheme.CacheKeySpace keys = new RedisKeyScheme("opt:", 1).forCache("shared");
			for (Sample sample : samples()) {
				LoadOptions options = new LoadOptions(null, sample.type(), null);
				cache.put("written-" + sample.name(), sample.value(), options);
				byte[] written = redis.adminBytes().get(keys.redisKey("written-" + sample.name()));
				assertThat(withExpiry(written, EXPIRES_AT)).as("%s as written to Redis", sample.name())
					.isEqualTo(golden(sample.name()));

				redis.adminBytes().set(keys.redisKey("planted-" + sample.name()), golden(sample.name()));
				Object read = cache.getOrLoad("planted-" + sample.name(), () -> {
					throw new AssertionError(sample.name() + " must be read from Redis");
				}, options);
				assertThat(read).as("%s as read from Redis", sample.name()).isEqualTo(sample.value());
			}
		});
	}

	/**
	 * Every kind of value the codec stores, with the type a method would declare for it.
	 */
	static List<Sample> samples() {
		Line line = new Line("SKU-1", 2, new BigDecimal("9.99"));
		List<Line> manyLines = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			manyLines.add(new Line("SKU-" + i, i, new BigDecimal(i + ".50")));
		}
		Map<String, Line> byName = new LinkedHashMap<>();
		byName.put("first", line);
		byName.put("second", new Line("SKU-2", 1, new BigDecimal("0.10")));
		Order order = new Order(7L, "Ada Lovelace", Instant.parse("2026-01-02T03:04:05.123456789Z"),
				LocalDate.of(2026, 1, 2), Kind.GOLD, List.of(line));
		return List.of(new Sample("string", "héllo wörld ✓", type(String.class)),
				new Sample("long", 42L, type(Long.class)), new Sample("double", 3.25, type(Double.class)),
				new Sample("boolean", true, type(Boolean.class)),
				new Sample("decimal", new BigDecimal("12.50"), type(BigDecimal.class)),
				new Sample("uuid", UUID.fromString("3f1c9a2e-7b4d-4c1e-9a8f-2d6b5e4c3a21"), type(UUID.class)),
				new Sample("instant", Instant.parse("2026-01-02T03:04:05.123456789Z"), type(Instant.class)),
				new Sample("local-date", LocalDate.of(2026, 1, 2), type(LocalDate.class)),
				new Sample("enum", Kind.SILVER, type(Kind.class)), new Sample("record", order, type(Order.class)),
				new Sample("record-untyped", order, null),
				new Sample("list", List.of(line, line), TYPES.constructCollectionType(List.class, Line.class)),
				new Sample("map", byName, TYPES.constructMapType(LinkedHashMap.class, String.class, Line.class)),
				new Sample("null", null, type(Order.class)),
				new Sample("compressed-string", "compressible ".repeat(200), type(String.class)),
				new Sample("compressed-list", manyLines, TYPES.constructCollectionType(List.class, Line.class)));
	}

	private static JavaType type(Class<?> type) {
		return TYPES.constructType(type);
	}

	private static byte[] withExpiry(byte[] bytes, long expiresAt) {
		assertThat(bytes).isNotNull();
		byte[] copy = Arrays.copyOf(bytes, bytes.length);
		for (int i = 0; i < Long.BYTES; i++) {
			copy[EXPIRY_OFFSET + i] = (byte) (expiresAt >>> (8 * (Long.BYTES - 1 - i)));
		}
		return copy;
	}

	private static byte[] golden(String name) {
		try (InputStream in = CrossLineCodecTests.class.getResourceAsStream("/codec-golden/" + name + ".bin")) {
			assertThat(in).as("codec-golden/%s.bin (write the files with -Dcodec.golden.write=<folder>)", name)
				.isNotNull();
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Writes the files once, on purpose:
	 * {@code -Dcodec.golden.write=src/test/resources/codec-golden}.
	 */
	private void writeGoldenIfAsked() {
		String folder = System.getProperty("codec.golden.write");
		if (folder == null) {
			return;
		}
		try {
			Files.createDirectories(Path.of(folder));
			for (Sample sample : samples()) {
				Files.write(Path.of(folder, sample.name() + ".bin"),
						this.codec.encode(sample.value(), sample.type(), EXPIRES_AT));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	record Sample(String name, Object value, JavaType type) {
	}

	public enum Kind {

		GOLD, SILVER

	}

	public record Line(String sku, int quantity, BigDecimal price) {
	}

	public record Order(long id, String customer, Instant placedAt, LocalDate dueOn, Kind kind, List<Line> lines) {
	}

	/**
	 * An application whose own Jackson settings differ from every default the codec
	 * relies on.
	 */
	@Configuration(proxyBeanMethods = false)
	static class UserJackson {

		@Bean
		ObjectMapper objectMapper() {
			return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
				.enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
				.enable(SerializationFeature.INDENT_OUTPUT);
		}

	}

}
