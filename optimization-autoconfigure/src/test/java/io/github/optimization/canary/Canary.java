package io.github.optimization.canary;

/**
 * Stands for a gadget class named in a stored type descriptor. Outside every allowed
 * package; if anything initializes it, {@link CanaryFlags#INITIALIZED} says so.
 */
public class Canary {

	static {
		CanaryFlags.INITIALIZED.add(Canary.class.getName());
	}

	public String name;

}
