package io.github.optimization.cache.codec;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * Defence in depth for types that opt into class-name polymorphism themselves
 * ({@code @JsonTypeInfo(use = Id.CLASS)}): a class name found in the JSON is resolved
 * only if the {@link TypeAllowList} allows it, and is checked before Jackson loads it.
 * Replaces Jackson's permissive default validator in the codec's own copy of the mapper.
 */
final class AllowListTypeValidator extends PolymorphicTypeValidator.Base {

	private static final long serialVersionUID = 1L;

	private final TypeAllowList allowList;

	AllowListTypeValidator(TypeAllowList allowList) {
		this.allowList = allowList;
	}

	@Override
	public Validity validateBaseType(MapperConfig<?> config, JavaType baseType) {
		return Validity.INDETERMINATE;
	}

	@Override
	public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
		return this.allowList.isAllowedCanonical(subClassName) ? Validity.ALLOWED : Validity.DENIED;
	}

	@Override
	public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
		return this.allowList.isAllowed(subType.getRawClass().getName()) ? Validity.ALLOWED : Validity.DENIED;
	}

}
