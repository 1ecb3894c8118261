package io.github.optimization.cache;

import java.time.Clock;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The parts of one {@link TieredCache}, each chosen once from the cache's settings: no L1
 * or no L2 is a no-op part, no stale options are plain reads and no revalidation, no
 * listener is no announcements, no write-back memory and no digest index.
 */
final class CacheParts {

	final L1Tier l1;

	final L2Tier l2;

	final Flights flights = new Flights();

	final Lifetimes lifetimes;

	final L2Reads reads;

	final Writes writes;

	final ReadThrough readThrough;

	final AsyncReadThrough asyncReadThrough;

	final Invalidations invalidations;

	CacheParts(String name, CacheSpec spec, L2Tier l2, Ticker ticker, Clock clock, Executor maintenanceExecutor,
			Executor asyncExecutor, Executor refreshExecutor, TieredCacheStatistics stats,
			InvalidationPublisher publisher) {
		this.l2 = l2;
		Announcements announcements = Announcements.of(name, publisher, l2);
		RecentWriteBacks writeBacks = announcements.isHeard() ? new RecentWriteBacks(ticker) : RecentWriteBacks.NONE;
		this.l1 = !spec.l1Enabled() ? L1Tier.NONE
				: announcements.isHeard() ? new IndexedL1Tier(spec, ticker, maintenanceExecutor, stats)
						: new CaffeineL1Tier(spec, ticker, maintenanceExecutor, stats);
		Freshness freshness = Freshness.of(spec, ticker);
		this.lifetimes = new Lifetimes(spec, freshness, this.l1, clock, l2.isPresent());
		ClusterFlight clusterFlight = (l2.isPresent() && spec.clusterSingleFlight())
				? new ClusterFlight(l2, spec, stats) : ClusterFlight.NONE;
		StaleL2Reads staleReads = (freshness != Freshness.NONE)
				? new StaleL2Reads(this.l1, l2, this.lifetimes, this.flights.versions(), stats, freshness) : null;
		this.reads = (staleReads != null) ? staleReads
				: new PlainL2Reads(this.l1, l2, this.lifetimes, this.flights.versions(), stats);
		this.writes = new Writes(spec, this.l1, l2, this.reads, this.lifetimes, freshness, this.flights, stats,
				writeBacks, announcements);
		Loads loads = new Loads(stats, this.writes);
		Revalidation revalidation = (staleReads != null) ? new StaleRevalidation(name, this.l1, staleReads, freshness,
				this.flights, loads, clusterFlight, stats, refreshExecutor, asyncExecutor) : Revalidation.NONE;
		this.readThrough = new ReadThrough(this.l1, this.reads, freshness, revalidation, this.flights, loads,
				clusterFlight, stats, spec.loadWaitTimeout().toNanos());
		this.asyncReadThrough = new AsyncReadThrough(this.l1, l2, this.reads, freshness, revalidation, this.flights,
				loads, stats, asyncExecutor);
		this.invalidations = new Invalidations(this.l1, l2, this.flights, stats, writeBacks, announcements);
	}

}
