package io.github.optimization.canary;

/**
 * Positive control: a test initializes this class through Jackson on purpose to prove the
 * canary mechanism detects class loading.
 */
public class ControlCanary {

	static {
		CanaryFlags.INITIALIZED.add(ControlCanary.class.getName());
	}

}
