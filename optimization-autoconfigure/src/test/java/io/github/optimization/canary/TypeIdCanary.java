package io.github.optimization.canary;

/**
 * Stands for a gadget class named inside the JSON payload ({@code @class}, a type id, a
 * {@code Class} property). Initializing it is recorded in
 * {@link CanaryFlags#INITIALIZED}.
 */
public class TypeIdCanary {

	static {
		CanaryFlags.INITIALIZED.add(TypeIdCanary.class.getName());
	}

}
