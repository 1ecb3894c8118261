package io.github.optimization.resilience;

import io.github.optimization.cache.L2Guard;

/**
 * One call to Redis that the {@link L2Guard} has permitted, timed and reported to it.
 */
final class GuardedCall {

	private GuardedCall() {
	}

	/**
	 * Run a permitted call and report its outcome and duration to the guard.
	 * @param guard the guard that permitted the call
	 * @param call the call
	 * @return whether it succeeded; a failure is reported, never thrown
	 */
	static boolean run(L2Guard guard, Runnable call) {
		long start = System.nanoTime();
		try {
			call.run();
			guard.onSuccess(System.nanoTime() - start);
			return true;
		}
		catch (RuntimeException ex) {
			guard.onError(System.nanoTime() - start, ex);
			return false;
		}
	}

}
