package io.github.optimization.cache.coherence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.optimization.cache.coherence.FaultTimeline.Effect;
import io.github.optimization.cache.coherence.FaultTimeline.Fault;
import io.github.optimization.cache.coherence.WriteHistory.Load;
import io.github.optimization.cache.coherence.WriteHistory.Write;

/**
 * Judges each read of the soak test against the write history and the fault timeline.
 *
 * <p>
 * A read is stale when some write of its key newer than the version it returned had been
 * acknowledged before the read started; the earliest such write is W, and the staleness
 * is the time from W's acknowledgement to the read's start. The bound:
 * <ul>
 * <li>no fault overlapped [W's ack - 1 s, read start] and the version read was loaded on
 * another instance from the database just before W changed it (its write-back may have
 * landed in Redis after W's change, and is undone when W's message reaches that
 * instance): {@link #NORMAL_BOUND}, two invalidation messages on a busy machine, on any
 * instance;
 * <li>else, the read ran on the instance that made W: 0, whatever happened (an instance
 * never serves a value older than its own acknowledged write);
 * <li>no fault overlapped: {@link #NORMAL_BOUND}, the delivery of one invalidation
 * message on a busy machine;
 * <li>else: the time from W's ack to the end of the last overlapping fault (0 if W came
 * after it), plus {@link #RECOVERY}: the breaker's open wait, three watchdog ticks, a
 * PING timeout and one second of slack;
 * <li>and in every case less than the cache's {@code l1.ttl}.
 * </ul>
 * Faults include breaker intervals observed on either instance (see
 * {@link FaultTimeline}).
 */
final class StalenessCheck {

	static final Duration NORMAL_BOUND = Duration.ofSeconds(1);

	/**
	 * How long before W a fault still counts: its effects (reconnecting, the breaker)
	 * linger.
	 */
	static final Duration BEFORE_WRITE = Duration.ofSeconds(1);

	static final Duration BREAKER_WAIT = Duration.ofSeconds(1);

	static final Duration RECOVERY = BREAKER_WAIT.plus(TwoInstances.PING_INTERVAL.multipliedBy(3))
		.plus(TwoInstances.PONG_TIMEOUT)
		.plusSeconds(1);

	enum Row {

		NORMAL_HERE("normal, change on this instance", "0"),

		NORMAL("normal, change elsewhere", String.valueOf(NORMAL_BOUND.toMillis())),

		WRITE_BACK_RACE("normal, another instance's load raced the change", String.valueOf(NORMAL_BOUND.toMillis())),

		LOST_MESSAGES("lost messages", "max(0,faultEnd-ack)+" + RECOVERY.toMillis()),

		OUTAGE_HERE("outage, change on this instance", "0"),

		OUTAGE_ELSEWHERE("outage, change elsewhere", "max(0,faultEnd-ack)+" + RECOVERY.toMillis()),

		RESTARTED("Redis restarted empty", "max(0,faultEnd-ack)+" + RECOVERY.toMillis());

		final String label;

		final String bound;

		Row(String label, String bound) {
			this.label = label;
			this.bound = bound;
		}

	}

	/** A stale read beyond its bound, or a read of a version the key never had. */
	record Violation(String reader, int key, long version, long startNanos, long endNanos, Write newer, Row row,
			long stalenessNanos, long boundNanos, List<Fault> faults) {
	}

	private static final class RowStats {

		long staleReads;

		long maxStalenessNanos;

		/** Staleness counted from the later of W's ack and the end of the faults. */
		long maxPastRecoveryNanos;

	}

	private final WriteHistory history;

	private final FaultTimeline timeline;

	private final long l1TtlNanos;

	private final Map<Row, RowStats> rows = new EnumMap<>(Row.class);

	private final List<Violation> violations = new ArrayList<>();

	private long reads;

	StalenessCheck(WriteHistory history, FaultTimeline timeline, Duration l1Ttl) {
		this.history = history;
		this.timeline = timeline;
		this.l1TtlNanos = l1Ttl.toNanos();
		for (Row row : Row.values()) {
			this.rows.put(row, new RowStats());
		}
	}

	void check(String reader, int key, long version, long startNanos, long endNanos) {
		this.reads++;
		if (!this.history.exists(key, version)) {
			this.violations.add(new Violation(reader, key, version, startNanos, endNanos, null, null, 0, 0, List.of()));
			return;
		}
		Write newer = this.history.firstNewerAckedBefore(key, version, startNanos);
		if (newer == null) {
			return;
		}
		long staleness = startNanos - newer.ackNanos();
		List<Fault> faults = this.timeline.overlapping(newer.ackNanos() - BEFORE_WRITE.toNanos(), startNanos);
		boolean here = reader.equals(newer.writer());
		long faultEnd = faults.stream().mapToLong(Fault::endNanos).max().orElse(newer.ackNanos());
		boolean raced = this.history.loadsOf(key, version).stream().anyMatch((load) -> racedWith(load, newer));
		Row row;
		long bound;
		if (faults.isEmpty() && raced) {
			row = Row.WRITE_BACK_RACE;
			bound = NORMAL_BOUND.toNanos();
		}
		else if (here && !raced) {
			row = faults.isEmpty() ? Row.NORMAL_HERE : Row.OUTAGE_HERE;
			bound = 0;
		}
		else if (faults.isEmpty()) {
			row = Row.NORMAL;
			bound = NORMAL_BOUND.toNanos();
		}
		else {
			Effect worst = faults.stream().map((fault) -> fault.kind().effect).max(Comparator.naturalOrder()).get();
			row = switch (worst) {
				case LOST_MESSAGES -> Row.LOST_MESSAGES;
				case OUTAGE -> Row.OUTAGE_ELSEWHERE;
				case RESTART -> Row.RESTARTED;
			};
			bound = saturatedAdd(Math.max(0, faultEnd - newer.ackNanos()), RECOVERY.toNanos());
		}
		// Never beyond l1.ttl: staleness must stay below it.
		bound = Math.min(bound, this.l1TtlNanos - 1);
		RowStats stats = this.rows.get(row);
		stats.staleReads++;
		stats.maxStalenessNanos = Math.max(stats.maxStalenessNanos, staleness);
		long recovered = Math.max(newer.ackNanos(), Math.min(faultEnd, startNanos));
		stats.maxPastRecoveryNanos = Math.max(stats.maxPastRecoveryNanos, startNanos - recovered);
		if (staleness > bound) {
			this.violations
				.add(new Violation(reader, key, version, startNanos, endNanos, newer, row, staleness, bound, faults));
		}
	}

	long reads() {
		return this.reads;
	}

	List<Violation> violations() {
		return this.violations;
	}

	/** One line per row, for the docs. */
	List<String> summary(long seed) {
		return this.rows.entrySet()
			.stream()
			.map((entry) -> String.format(
					"[soak] seed=%d reads=%d row=\"%s\" staleReads=%d maxStalenessMs=%d maxPastRecoveryMs=%d boundMs=%s",
					seed, this.reads, entry.getKey().label, entry.getValue().staleReads,
					ms(entry.getValue().maxStalenessNanos), ms(entry.getValue().maxPastRecoveryNanos),
					entry.getKey().bound))
			.toList();
	}

	/**
	 * The violations as incidents (reads on one instance returning one version of one
	 * key), in order of time, each described by its first read with the key's write
	 * history around it.
	 */
	List<String> incidents(int max) {
		Map<String, List<Violation>> incidents = new LinkedHashMap<>();
		this.violations.stream()
			.sorted(Comparator.comparingLong(Violation::startNanos))
			.forEach((v) -> incidents
				.computeIfAbsent(v.reader() + "/" + v.key() + "/" + v.version(), (id) -> new ArrayList<>())
				.add(v));
		List<String> described = new ArrayList<>();
		incidents.values().stream().limit(max).forEach((reads) -> described.add(describe(reads)));
		if (incidents.size() > max) {
			described.add("... and " + (incidents.size() - max) + " more incidents");
		}
		return described;
	}

	private String describe(List<Violation> reads) {
		Violation v = reads.get(0);
		StringBuilder text = new StringBuilder();
		text.append(String.format("%d read(s) on %s of key %d returned version %d, the first started at %d ms",
				reads.size(), v.reader(), v.key(), v.version(), this.timeline.ms(v.startNanos())));
		if (v.newer() == null) {
			return text.append(": a version the key never had\n").toString();
		}
		Write w = v.newer();
		boolean here = v.reader().equals(w.writer());
		text.append(String.format(
				": %s, stale for up to %d ms, bound %d ms (row \"%s\"); first newer write: v%d %s by %s,"
						+ " database changed at %d ms, acked at %d ms%n",
				here ? "stale read on the writing instance" : "stale read beyond its bound",
				ms(reads.stream().mapToLong(Violation::stalenessNanos).max().getAsLong()), ms(v.boundNanos()),
				v.row().label, w.version(), w.op(), w.writer(), this.timeline.ms(w.dbNanos()),
				this.timeline.ms(w.ackNanos())));
		text.append("    overlapping faults: ")
			.append(v.faults().isEmpty() ? "none"
					: v.faults()
						.stream()
						.map((f) -> f.kind().label + " " + f.detail() + " " + this.timeline.ms(f.startNanos()) + ".."
								+ this.timeline.ms(f.endNanos()) + " ms")
						.collect(Collectors.joining("; ")))
			.append('\n');
		List<Write> before = this.history.between(v.key(), v.startNanos() - TimeUnit.SECONDS.toNanos(10),
				v.startNanos());
		List<Write> after = this.history.between(v.key(), v.startNanos() + 1, Long.MAX_VALUE);
		text.append("    writes of the key (the last 6 before the read, the first 2 after):\n");
		before.subList(Math.max(0, before.size() - 6), before.size()).forEach((x) -> text.append(describe(x)));
		text.append("      -- read started\n");
		after.subList(0, Math.min(2, after.size())).forEach((x) -> text.append(describe(x)));
		List<Load> loads = this.history.loadsOf(v.key(), v.version());
		text.append("    loader calls that returned v")
			.append(v.version())
			.append(": ")
			.append(loads.isEmpty() ? "none"
					: loads.stream()
						.map((load) -> load.instance() + " at " + this.timeline.ms(load.atNanos()) + " ms")
						.collect(Collectors.joining(", ")))
			.append('\n');
		if (loads.stream().anyMatch((load) -> racedWith(load, w))) {
			text.append("    hint: another instance loaded v")
				.append(v.version())
				.append(" just before this write changed the database, with Redis up: if its write-back reached")
				.append(" Redis after this write's change there, and the invalidation reached it only after the")
				.append(" write-back, Redis keeps the older value (a race between instances, with or without faults)\n");
		}
		return text.toString();
	}

	/**
	 * Whether a load on another instance read the database within 1 s before a write,
	 * with Redis up.
	 */
	private boolean racedWith(Load load, Write w) {
		return !load.instance().equals(w.writer()) && load.atNanos() < w.dbNanos()
				&& load.atNanos() > w.dbNanos() - TimeUnit.SECONDS.toNanos(1)
				&& this.timeline.overlapping(load.atNanos(), load.atNanos())
					.stream()
					.allMatch((fault) -> fault.kind().effect == Effect.LOST_MESSAGES);
	}

	private String describe(Write w) {
		return String.format("      v%d %s by %s, database at %d ms, acked at %s%n", w.version(), w.op(), w.writer(),
				this.timeline.ms(w.dbNanos()),
				(w.ackNanos() == Long.MAX_VALUE) ? "never" : this.timeline.ms(w.ackNanos()) + " ms");
	}

	private static long ms(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	private static long saturatedAdd(long a, long b) {
		long sum = a + b;
		return (sum < 0) ? Long.MAX_VALUE : sum;
	}

}
