package io.github.optimization.cache.coherence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What went wrong during the soak test, and when: the faults the test injected, and the
 * intervals in which an instance's circuit breaker was not closed (from its first
 * transition away from CLOSED to its return to CLOSED). A breaker that opens during or
 * right after a fault only confirms the fault; one that opens with no fault near is an
 * outage as the cache sees it (e.g. slow calls on a loaded machine), and is treated as
 * one. Thread-safe.
 */
final class FaultTimeline {

	enum Kind {

		FREEZE("freeze (SIGSTOP)", Effect.OUTAGE),

		KILL_RESTART("kill, then restart empty", Effect.RESTART),

		RESTART("restart empty", Effect.RESTART),

		PUBSUB_KILL("CLIENT KILL TYPE pubsub", Effect.LOST_MESSAGES),

		BREAKER_OPEN("breaker not closed", Effect.OUTAGE);

		final String label;

		final Effect effect;

		Kind(String label, Effect effect) {
			this.label = label;
			this.effect = effect;
		}

	}

	/** What a fault does to coherence, most severe last. */
	enum Effect {

		LOST_MESSAGES, OUTAGE, RESTART

	}

	/** One fault, from its injection (or the breaker leaving CLOSED) to its end. */
	record Fault(Kind kind, String detail, long startNanos, long endNanos) {
	}

	private final long originNanos;

	private final List<Fault> faults = new ArrayList<>();

	/** Per instance, since when its breaker is not closed. */
	private final Map<String, Long> breakerNotClosedSince = new HashMap<>();

	FaultTimeline(long originNanos) {
		this.originNanos = originNanos;
	}

	synchronized void add(Kind kind, String detail, long startNanos, long endNanos) {
		this.faults.add(new Fault(kind, detail, startNanos, endNanos));
	}

	/** Called on every transition of an instance's breaker. */
	synchronized void breakerTransition(String instance, boolean toClosed, long atNanos) {
		Long since = this.breakerNotClosedSince.get(instance);
		if (!toClosed && since == null) {
			this.breakerNotClosedSince.put(instance, atNanos);
		}
		else if (toClosed && since != null) {
			this.breakerNotClosedSince.remove(instance);
			add(Kind.BREAKER_OPEN, instance, since, atNanos);
		}
	}

	/** Ends the intervals of breakers that are still not closed. */
	synchronized void closeOpenIntervals(long atNanos) {
		this.breakerNotClosedSince
			.forEach((instance, since) -> add(Kind.BREAKER_OPEN, instance + " (still)", since, atNanos));
		this.breakerNotClosedSince.clear();
	}

	/**
	 * The faults that overlap an interval (faults still running count as running until
	 * now).
	 */
	synchronized List<Fault> overlapping(long fromNanos, long toNanos) {
		List<Fault> overlapping = new ArrayList<>();
		for (Fault fault : this.faults) {
			if (fault.startNanos() <= toNanos && fault.endNanos() >= fromNanos) {
				overlapping.add(fault);
			}
		}
		for (Map.Entry<String, Long> open : this.breakerNotClosedSince.entrySet()) {
			if (open.getValue() <= toNanos) {
				overlapping.add(new Fault(Kind.BREAKER_OPEN, open.getKey(), open.getValue(), Long.MAX_VALUE));
			}
		}
		return overlapping;
	}

	synchronized long count(Kind kind) {
		return this.faults.stream().filter((fault) -> fault.kind() == kind).count();
	}

	/** Breaker intervals that overlap no injected fault (nor the second after one). */
	synchronized long spontaneousBreakerOpenings() {
		return this.faults.stream()
			.filter((fault) -> fault.kind() == Kind.BREAKER_OPEN)
			.filter((breaker) -> this.faults.stream()
				.noneMatch((fault) -> fault.kind() != Kind.BREAKER_OPEN && fault.startNanos() <= breaker.endNanos()
						&& fault.endNanos() + TimeUnit.SECONDS.toNanos(1) >= breaker.startNanos()))
			.count();
	}

	/** Milliseconds since the start of the test. */
	long ms(long nanos) {
		return (nanos == Long.MAX_VALUE) ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toMillis(nanos - this.originNanos);
	}

	/**
	 * One line per fault, in order of start, with times in ms since the start of the
	 * test.
	 */
	synchronized String describe() {
		StringBuilder text = new StringBuilder();
		this.faults.stream()
			.sorted((x, y) -> Long.compare(x.startNanos(), y.startNanos()))
			.forEach((fault) -> text.append(String.format("  %6d..%6d ms  %s%s%n", ms(fault.startNanos()),
					ms(fault.endNanos()), fault.kind().label, fault.detail().isEmpty() ? "" : " " + fault.detail())));
		return text.toString();
	}

}
