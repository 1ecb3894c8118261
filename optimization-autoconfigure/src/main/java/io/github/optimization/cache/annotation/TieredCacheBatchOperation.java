package io.github.optimization.cache.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.optimization.cache.LoadOptions;
import io.github.optimization.cache.TieredCache;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.core.ResolvableType;

/**
 * {@link TieredCacheableBatch} on one method: each id is its own key, and one call of the
 * method loads the ids the cache misses. On a tiered cache through
 * {@link TieredCache#getAll} (L1, one {@code MGET}, one call with the missing ids); on
 * any other Spring cache one lookup and one store per id, still with one call for the
 * missing ids (and without the TTL). A {@code null} ids argument is passed to the method
 * as it is.
 */
final class TieredCacheBatchOperation extends CacheOperation {

	private static final List<Class<?>> ID_TYPES = List.of(Collection.class, List.class, Set.class);

	private static final String EXAMPLE = "e.g. Map<Long, User> users(Set<Long> ids)";

	private final LoadOptions loadOptions;

	/**
	 * Whether the ids parameter is a {@code Set} (else a {@code Collection} or
	 * {@code List}).
	 */
	private final boolean setOfIds;

	private TieredCacheBatchOperation(AnnotatedMethod method, String cacheName, LoadOptions loadOptions) {
		super(method, cacheName, loadOptions.ttl());
		this.loadOptions = loadOptions;
		this.setOfIds = Set.class.equals(method.method().getParameterTypes()[0]);
	}

	/**
	 * Parse the annotation: a wrong signature (not exactly one
	 * {@code Collection}/{@code List}/{@code Set} parameter, no {@code Map} result, map
	 * keys of another type than the ids), a bad TTL, or both cache annotations on one
	 * method fail.
	 */
	static TieredCacheBatchOperation parse(TieredCacheableBatch annotation, AnnotatedMethod method) {
		if (method.alsoHas(TieredCacheable.class)) {
			throw method.invalid("the method also has @TieredCacheable; keep one of them");
		}
		String cacheName = method.cacheName(annotation.cache());
		Method specific = method.method();
		if (specific.getParameterCount() != 1 || !ID_TYPES.contains(specific.getParameterTypes()[0])) {
			throw method.invalid("the method must take exactly one parameter, the ids, declared as Collection, List "
					+ "or Set (" + EXAMPLE + "); it takes "
					+ Arrays.stream(specific.getGenericParameterTypes())
						.map((type) -> type.getTypeName())
						.collect(Collectors.joining(", ", "(", ")")));
		}
		if (!Map.class.equals(specific.getReturnType())) {
			throw method.invalid("the method must return Map from id to value, declared as java.util.Map (" + EXAMPLE
					+ "); it returns " + specific.getGenericReturnType().getTypeName());
		}
		ResolvableType ids = ResolvableType.forMethodParameter(specific, 0, method.targetClass()).getGeneric(0);
		ResolvableType map = method.returnType();
		Class<?> idType = ids.resolve();
		Class<?> keyType = map.getGeneric(0).resolve();
		if (idType != null && keyType != null && !idType.equals(keyType)) {
			throw method.invalid("the ids are " + idType.getName() + " but the keys of the returned map are "
					+ keyType.getName() + "; each id must be a key of the map, so declare both with the same type ("
					+ EXAMPLE + ")");
		}
		LoadOptions options = new LoadOptions(method.ttl(annotation.ttl()), AnnotatedMethod.javaType(map.getGeneric(1)),
				null);
		return new TieredCacheBatchOperation(method, cacheName, options);
	}

	@Override
	protected Object invoke(MethodInvocation invocation, Supplier<CacheManager> cacheManager) throws Throwable {
		Collection<?> ids = (Collection<?>) invocation.getArguments()[0];
		Cache cache = (ids != null) ? cache(cacheManager) : null;
		if (cache == null) {
			return invocation.proceed();
		}
		Function<Set<Object>, Map<Object, Object>> loader = (missing) -> call(invocation, missing);
		try {
			if (cache instanceof TieredCache tiered) {
				return tiered.getAll(ids, loader, this.loadOptions);
			}
			return getAllFromOtherCache(cache, ids, loader);
		}
		catch (MethodFailure ex) {
			throw ex.getCause();
		}
	}

	/** Calls the method once, with the missing ids only. */
	@SuppressWarnings("unchecked")
	private Map<Object, Object> call(MethodInvocation invocation, Set<Object> missing) {
		invocation.getArguments()[0] = this.setOfIds ? new LinkedHashSet<>(missing) : new ArrayList<>(missing);
		try {
			return (Map<Object, Object>) invocation.proceed();
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new MethodFailure(ex);
		}
	}

	private static Map<Object, Object> getAllFromOtherCache(Cache cache, Collection<?> ids,
			Function<Set<Object>, Map<Object, Object>> loader) {
		Map<Object, Object> found = new LinkedHashMap<>();
		Set<Object> missing = new LinkedHashSet<>();
		for (Object id : ids) {
			Cache.ValueWrapper hit = cache.get(id);
			if (hit == null) {
				missing.add(id);
			}
			else if (hit.get() != null) {
				found.put(id, hit.get());
			}
		}
		if (!missing.isEmpty()) {
			Map<Object, Object> loaded = loader.apply(missing);
			for (Object id : missing) {
				Object value = (loaded != null) ? loaded.get(id) : null;
				if (value != null) {
					cache.put(id, value);
					found.put(id, value);
				}
			}
		}
		Map<Object, Object> result = new LinkedHashMap<>();
		for (Object id : ids) {
			if (found.containsKey(id)) {
				result.put(id, found.get(id));
			}
		}
		return result;
	}

	/**
	 * Carries a checked exception of the method through the cache, to be thrown as it is.
	 */
	private static final class MethodFailure extends RuntimeException {

		MethodFailure(Throwable cause) {
			super(null, cause, false, false);
		}

	}

}
