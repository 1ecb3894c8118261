package io.github.optimization.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.ResolvableType;

/**
 * The setting names of one of the starter's properties classes, found the way Spring
 * Boot's binder finds them: JavaBean properties in kebab case, map keys chosen by the
 * user, list indexes. Knows the nearest valid name to a name that is not a setting.
 */
final class SettingNames {

	private static final String STARTER_PACKAGE = "io.github.optimization.";

	private final ConfigurationPropertyName prefix;

	private final ResolvableType type;

	/**
	 * Creates the names of a properties class (or of a list or map of them).
	 * @param prefix the prefix it is bound to, such as {@code optimization.cache}
	 * @param type the type bound there
	 */
	SettingNames(ConfigurationPropertyName prefix, ResolvableType type) {
		this.prefix = prefix;
		this.type = type;
	}

	/**
	 * Whether a type is one of the starter's own, whose properties are settings, or a
	 * list, array or map of them.
	 * @param type the type
	 * @return whether it belongs to the starter
	 */
	static boolean isStarterType(ResolvableType type) {
		Class<?> resolved = type.resolve(Object.class);
		if (Map.class.isAssignableFrom(resolved)) {
			return isStarterType(type.asMap().getGeneric(1));
		}
		if (resolved.isArray() || Collection.class.isAssignableFrom(resolved)) {
			return isStarterType(resolved.isArray() ? type.getComponentType() : type.asCollection().getGeneric(0));
		}
		return resolved.getName().startsWith(STARTER_PACKAGE) && !resolved.isEnum();
	}

	/**
	 * The nearest valid name: every element that names no setting is replaced by the
	 * closest setting of its level, and a map key that was cut at a dot is put in
	 * brackets.
	 * @param name a name under the prefix
	 * @return the suggestion; its name is {@code null} when some element has no close
	 * match, and equals {@code name} when {@code name} is a setting
	 */
	Suggestion suggest(ConfigurationPropertyName name) {
		return walk(this.type, name, this.prefix.getNumberOfElements(), this.prefix.toString(), false);
	}

	private static Suggestion walk(ResolvableType type, ConfigurationPropertyName name, int start, String path,
			boolean corrected) {
		for (int i = start; i < name.getNumberOfElements(); i++) {
			Class<?> resolved = type.resolve(Object.class);
			if (Map.class.isAssignableFrom(resolved)) {
				return mapEntry(type.asMap().getGeneric(1), name, i, path, corrected);
			}
			if (resolved.isArray() || Collection.class.isAssignableFrom(resolved)) {
				if (!name.isNumericIndex(i)) {
					return Suggestion.none(path, Set.of());
				}
				type = resolved.isArray() ? type.getComponentType() : type.asCollection().getGeneric(0);
				path = path + "[" + name.getElement(i, Form.ORIGINAL) + "]";
				continue;
			}
			Map<String, ResolvableType> settings = settings(type);
			String element = name.getElement(i, Form.DASHED);
			String setting = exact(element, settings.keySet());
			if (setting == null) {
				setting = nearest(element, settings.keySet());
				if (setting == null) {
					return Suggestion.none(path, settings.keySet());
				}
				corrected = true;
			}
			path = path + "." + setting;
			type = settings.get(setting);
		}
		Map<String, ResolvableType> nested = settings(type);
		return nested.isEmpty() ? new Suggestion(path, corrected, path, Set.of())
				: Suggestion.none(path, nested.keySet());
	}

	private static Suggestion mapEntry(ResolvableType valueType, ConfigurationPropertyName name, int key, String path,
			boolean corrected) {
		String original = name.getElement(key, Form.ORIGINAL);
		boolean bracketed = name.chop(key + 1).isLastElementIndexed();
		Suggestion entry = walk(valueType, name, key + 1, path + (bracketed ? "[" + original + "]" : "." + original),
				corrected);
		if (entry.name() != null || bracketed) {
			return entry;
		}
		// A key with dots needs brackets; without them, gpt-4.1.input reads as key gpt-4.
		for (int end = key + 2; end < name.getNumberOfElements(); end++) {
			StringBuilder joined = new StringBuilder(original);
			for (int i = key + 1; i < end; i++) {
				joined.append('.').append(name.getElement(i, Form.ORIGINAL));
			}
			Suggestion joinedEntry = walk(valueType, name, end, path + ".[" + joined + "]", true);
			if (joinedEntry.name() != null) {
				return joinedEntry;
			}
		}
		return entry;
	}

	private static Map<String, ResolvableType> settings(ResolvableType type) {
		Map<String, ResolvableType> settings = new TreeMap<>();
		Class<?> resolved = type.resolve(Object.class);
		if (!resolved.getName().startsWith(STARTER_PACKAGE) || resolved.isEnum()) {
			return settings;
		}
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(resolved)) {
			if (property.getReadMethod() != null && !"class".equals(property.getName())) {
				settings.put(DataObjectPropertyName.toDashedForm(property.getName()),
						ResolvableType.forMethodReturnType(property.getReadMethod(), resolved));
			}
		}
		return settings;
	}

	private static String exact(String element, Collection<String> settings) {
		String uniform = uniform(element);
		for (String setting : settings) {
			if (uniform(setting).equals(uniform)) {
				return setting;
			}
		}
		return null;
	}

	/**
	 * The closest setting by edit distance (ignoring dashes and case, a swap of two
	 * adjacent letters counting as one edit), if it is within a third of the longer name.
	 */
	private static String nearest(String element, Collection<String> settings) {
		String uniform = uniform(element);
		String nearest = null;
		int best = Integer.MAX_VALUE;
		for (String setting : settings) {
			String candidate = uniform(setting);
			int distance = distance(uniform, candidate);
			int allowed = Math.max(1, (Math.max(uniform.length(), candidate.length()) + 1) / 3);
			if (distance <= allowed && distance < best) {
				nearest = setting;
				best = distance;
			}
		}
		return nearest;
	}

	private static String uniform(String name) {
		return name.replace("-", "").toLowerCase(Locale.ROOT);
	}

	/** Optimal string alignment distance. */
	static int distance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

	/**
	 * The outcome of {@link #suggest}.
	 *
	 * @param name the nearest valid name, or {@code null} when there is none close
	 * @param corrected whether {@code name} differs from the name asked about
	 * @param level the deepest level that was reached, such as
	 * {@code optimization.cache.caches.products}
	 * @param settings the settings of that level, when no name was found
	 */
	record Suggestion(String name, boolean corrected, String level, Set<String> settings) {

		static Suggestion none(String level, Set<String> settings) {
			return new Suggestion(null, false, level, settings);
		}

	}

}
