package io.github.optimization.cache.fault;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.optimization.cache.TieredCache;
import io.github.optimization.cache.TieredCacheStatistics;
import io.github.optimization.cache.fault.FaultFixture.Database;
import io.github.optimization.cache.redis.InvalidationBusState;
import io.github.optimization.cache.redis.TieredCacheRedisConnection;
import io.github.optimization.test.redis.BlackholeRedisExtension;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.event.connection.ConnectionEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.EpollProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.context.ApplicationContext;

import static io.github.optimization.cache.fault.FaultCalls.HOT;
import static io.github.optimization.cache.fault.FaultCalls.hits;
import static io.github.optimization.cache.fault.FaultCalls.hot;
import static io.github.optimization.cache.fault.FaultCalls.misses;
import static io.github.optimization.cache.fault.FaultFixture.D_RC;
import static io.github.optimization.cache.fault.FaultFixture.N_MIN;
import static io.github.optimization.cache.fault.FaultFixture.SLACK;
import static io.github.optimization.cache.fault.FaultFixture.T_CMD;
import static io.github.optimization.cache.fault.FaultFixture.W_OPEN;
import static io.github.optimization.cache.fault.FaultFixture.breaker;
import static io.github.optimization.cache.fault.FaultFixture.cache;
import static io.github.optimization.cache.fault.FaultFixture.plant;
import static io.github.optimization.cache.fault.FaultFixture.report;
import static io.github.optimization.cache.fault.FaultFixture.stored;
import static io.github.optimization.cache.fault.Latencies.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * F5 and F21: a true network blackhole between the application and Redis (iptables DROP
 * in both directions inside a network namespace, see {@link BlackholeRedisExtension}): no
 * reset, no answer, the server never hears of it. Until the breaker opens a call waits at
 * most the command timeout; once it is open L1 hits keep their healthy latency and misses
 * are served by the loader. With Netty's epoll transport on the test class path the
 * cache's connection has TCP_USER_TIMEOUT, so the kernel gives the dead connection up and
 * Lettuce reconnects; after the network heals the cache uses L2 again without any request
 * waiting for the old socket. The context also closes quickly while blackholed.
 *
 * <p>
 * Root only: skipped with the reason when not root or {@code ip}/{@code iptables} are
 * missing. Tagged {@code fault-root}; {@code -DexcludedGroups=fault-root} leaves it out.
 */
@Tag("fault")
@Tag("fault-root")
class RedisBlackholeFaultTests {

	private static final String CACHE = "items";

	/** U: the TCP_USER_TIMEOUT the starter sets when epoll is present. */
	private static final Duration U = Duration.ofSeconds(5);

	/**
	 * T_conn: the starter's default connect timeout (a reconnect into the blackhole waits
	 * this long).
	 */
	private static final Duration T_CONN = Duration.ofSeconds(1);

	/**
	 * The budget of F5 for the dead connection to be closed and a reconnect attempted.
	 */
	private static final Duration REPLACED_WITHIN = U.plus(D_RC).plusSeconds(1);

	/**
	 * The longest call while the breaker cycles or the connection is replaced. A call
	 * waiting for the dead socket would take seconds (retransmission backoff,
	 * TCP_USER_TIMEOUT); one command timeout plus the usual slack is the expectation, and
	 * a second command timeout of room absorbs a rare scheduling hiccup on a 2-core box
	 * (seen once in a dozen full runs: 414 ms).
	 */
	private static final Duration NO_WAIT_FOR_THE_OLD_SOCKET = T_CMD.multipliedBy(2).plus(SLACK);

	/**
	 * After healing: the breaker's wait, a reconnect attempt in flight, and a few
	 * seconds.
	 */
	private static final Duration L2_BACK_WITHIN = W_OPEN.plus(T_CONN).plus(D_RC).plusSeconds(3);

	@RegisterExtension
	final BlackholeRedisExtension redis = new BlackholeRedisExtension();

	@Test
	void blackholeCostsAtMostTheCommandTimeoutThenTheDeadConnectionIsReplacedAndL2IsUsedAfterHealing() {
		assertThat(EpollProvider.isAvailable())
			.as("netty-transport-native-epoll (linux-x86_64) on the test class path: TCP_USER_TIMEOUT needs it")
			.isTrue();
		FaultFixture.runner(this.redis.host(), this.redis.port())
			.withUserConfiguration(ItemService.Config.class)
			// As in the frozen test: the subscription watchdog would drop L1 when its
			// PING goes
			// unanswered, turning the measured hits into loads.
			.withPropertyValues("optimization.cache.invalidation.ping-interval=30s")
			.run((context) -> {
				TieredCache cache = cache(context, CACHE);
				TieredCacheStatistics stats = cache.getStatistics();
				CircuitBreaker breaker = breaker(context);
				Database db = context.getBean(Database.class);
				ItemService service = context.getBean(ItemService.class);
				ConnectionEvents events = ConnectionEvents.of(context);
				try {
					warmUp(context, cache, db, service);
					hits(cache, db, "warm-up");
					long b = hits(cache, db, "B").p99();
					Clients clients = clients();
					report("before the blackhole: cache connection " + clients.data + ", subscription "
							+ clients.subscription + " (" + this.redis.host() + ":" + this.redis.port() + ")");

					this.redis.blackhole();
					long dropped = System.nanoTime();
					long requestsAtDrop = stats.l2Requests();
					long timeoutsAtDrop = stats.l2Timeouts();
					long nanosAtDrop = stats.l2Nanos();

					// (1) Until open: each L2 call waits for the command timeout, no
					// longer.
					Latencies untilOpen = new Latencies("misses until open");
					int n = 0;
					while (breaker.getState() != CircuitBreaker.State.OPEN && n < 10 * N_MIN) {
						String key = "blackholed-" + n++;
						long start = System.nanoTime();
						assertThat(cache.get(key, () -> db.load(key))).isEqualTo(key + "@v1");
						untilOpen.since(start);
					}
					long attempts = stats.l2Requests() - requestsAtDrop;
					long meanCall = (stats.l2Nanos() - nanosAtDrop) / Math.max(1, attempts);
					report(untilOpen.summary() + "; " + attempts + " L2 calls before open, "
							+ (stats.l2Timeouts() - timeoutsAtDrop) + " timed out, mean L2 call "
							+ Latencies.format(meanCall) + "; T_cmd=" + T_CMD.toMillis() + "ms");
					assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
					assertThat(attempts).isBetween(1L, (long) N_MIN);
					assertThat(stats.l2Timeouts() - timeoutsAtDrop).isEqualTo(attempts);
					assertThat(meanCall).as("an L2 call waits for T_cmd, not longer")
						.isBetween(T_CMD.toNanos(), T_CMD.plusMillis(50).toNanos());
					assertThat(untilOpen.max()).as("a call before the breaker opened")
						.isLessThanOrEqualTo(T_CMD.plus(SLACK).toNanos());

					// (1) Open: L1 hits at the healthy latency, misses served by the
					// loader.
					Latencies blackholedHits = hits(cache, db, "L1 hits, blackholed, breaker open");
					long bound = Math.max(2 * b, b + millis(1));
					report("B p99=" + Latencies.format(b) + "; blackholed p99=" + Latencies.format(blackholedHits.p99())
							+ " (bound " + Latencies.format(bound) + ")");
					assertThat(blackholedHits.p99()).isLessThanOrEqualTo(bound);
					misses(cache, db, "warm-up-miss-", 2_000, null);
					Latencies probeCalls = new Latencies("probe calls");
					Latencies overhead = misses(cache, db, "open-miss-", 2_000, probeCalls);
					report("open " + overhead.summary() + (probeCalls.count() > 0 ? "; " + probeCalls.summary() : ""));
					assertThat(overhead.p99()).isLessThanOrEqualTo(b + millis(1));
					assertThat(service.item("open-annotated")).isEqualTo("open-annotated@v1");

					// (3) TCP_USER_TIMEOUT: the kernel gives the dead connection up,
					// Lettuce sees it
					// inactive and tries to reconnect. Callers keep being served
					// meanwhile, none
					// waiting longer than one command timeout.
					Latencies meanwhile = new Latencies("calls while the connection is given up");
					int[] m = { 0 };
					await()
						.atMost(Duration
							.ofNanos(dropped + REPLACED_WITHIN.plusSeconds(2).toNanos() - System.nanoTime()))
						.pollInSameThread()
						.pollInterval(Duration.ofMillis(20))
						.until(() -> {
							timedMisses(cache, db, "meanwhile-" + m[0]++ + "-", 10, meanwhile);
							return events.reconnectAttemptAfter(events.deactivation(clients.data)).isPresent()
									&& events.reconnectAttemptAfter(events.deactivation(clients.subscription))
										.isPresent();
						});
					long deactivated = events.deactivation(clients.data).orElseThrow().nanos() - dropped;
					long reconnect = events.reconnectAttemptAfter(events.deactivation(clients.data))
						.orElseThrow()
						.nanos() - dropped;
					long subscriptionDeactivated = events.deactivation(clients.subscription).orElseThrow().nanos()
							- dropped;
					long subscriptionReconnect = events.reconnectAttemptAfter(events.deactivation(clients.subscription))
						.orElseThrow()
						.nanos() - dropped;
					report("cache connection " + clients.data + " closed " + Latencies.format(deactivated)
							+ " after the drop, reconnect attempted after " + Latencies.format(reconnect)
							+ "; idle subscription connection " + clients.subscription + " closed after "
							+ Latencies.format(subscriptionDeactivated) + ", reconnect attempted after "
							+ Latencies.format(subscriptionReconnect) + " (budget U + D_rc + 1s = "
							+ REPLACED_WITHIN.toMillis() + "ms); " + meanwhile.summary());
					report("connection events since the drop:" + events.since(dropped));
					assertThat(deactivated).isLessThanOrEqualTo(REPLACED_WITHIN.toNanos());
					assertThat(reconnect).isLessThanOrEqualTo(REPLACED_WITHIN.toNanos());
					assertThat(subscriptionDeactivated).isLessThanOrEqualTo(REPLACED_WITHIN.toNanos());
					assertThat(subscriptionReconnect).isLessThanOrEqualTo(REPLACED_WITHIN.toNanos());
					assertThat(meanwhile.p99()).isLessThanOrEqualTo(T_CMD.plus(SLACK).toNanos());
					assertThat(meanwhile.max()).isLessThanOrEqualTo(NO_WAIT_FOR_THE_OLD_SOCKET.toNanos());
					// A blackhole, not a reset: the server never heard that the client
					// gave up.
					List<String> atServer = this.redis.serverConnections();
					report("connections the server still holds: " + atServer);
					assertThat(atServer).anyMatch((line) -> line.endsWith(" " + clients.data));

					// (2) Healed: L2 is used again, and no call waits for the old socket.
					this.redis.heal();
					long healed = System.nanoTime();
					plant(this.redis.adminBytes(), context, CACHE, "peer-key", "from-peer");
					Latencies afterHeal = new Latencies("calls after healing");
					await().atMost(L2_BACK_WITHIN).pollInSameThread().pollInterval(Duration.ofMillis(20)).until(() -> {
						long start = System.nanoTime();
						ValueWrapper value = cache.get("peer-key");
						afterHeal.since(start);
						return value != null && "from-peer".equals(value.get());
					});
					long back = System.nanoTime() - healed;
					report("L2 read again " + Latencies.format(back)
							+ " after healing (budget W_open + T_conn + D_rc + 3s = " + L2_BACK_WITHIN.toMillis()
							+ "ms); " + afterHeal.summary() + "; new cache connection "
							+ events.activationAfter(healed).map(Recorded::local).orElse(null));
					assertThat(afterHeal.max()).isLessThanOrEqualTo(NO_WAIT_FOR_THE_OLD_SOCKET.toNanos());
					assertThat(cache.get("after-heal", () -> db.load("after-heal"))).isEqualTo("after-heal@v1");
					assertThat(stored(this.redis.adminBytes(), context, CACHE, "after-heal"))
						.isEqualTo("after-heal@v1");
				}
				finally {
					events.close();
					this.redis.heal();
				}
			});
	}

	@Test
	void shortBlackholeHealedBeforeTheConnectionIsGivenUpResumesItAndNoCallWaitsForIt() {
		FaultFixture.runner(this.redis.host(), this.redis.port())
			.withUserConfiguration(ItemService.Config.class)
			.withPropertyValues("optimization.cache.invalidation.ping-interval=30s")
			.run((context) -> {
				TieredCache cache = cache(context, CACHE);
				TieredCacheStatistics stats = cache.getStatistics();
				CircuitBreaker breaker = breaker(context);
				Database db = context.getBean(Database.class);
				ConnectionEvents events = ConnectionEvents.of(context);
				try {
					warmUp(context, cache, db, context.getBean(ItemService.class));
					Clients clients = clients();

					this.redis.blackhole();
					long dropped = System.nanoTime();
					long requestsAtDrop = stats.l2Requests();
					Latencies calls = new Latencies("calls while blackholed");
					int[] m = { 0 };
					// Two seconds of traffic into the blackhole (well under U): the
					// breaker opens,
					// the cache connection holds unacknowledged commands and backs off
					// retransmitting.
					await().atMost(Duration.ofSeconds(4))
						.pollInSameThread()
						.pollInterval(Duration.ofMillis(20))
						.until(() -> {
							timedMisses(cache, db, "short-" + m[0]++ + "-", 5, calls);
							return System.nanoTime() - dropped >= Duration.ofSeconds(2).toNanos();
						});
					long attempts = stats.l2Requests() - requestsAtDrop;
					assertThat(breaker.getState()).isNotEqualTo(CircuitBreaker.State.CLOSED);
					assertThat(events.deactivation(clients.data)).as("given up before U").isEmpty();

					this.redis.heal();
					long healed = System.nanoTime();
					plant(this.redis.adminBytes(), context, CACHE, "peer-key", "from-peer");
					Latencies afterHeal = new Latencies("calls after healing");
					await().atMost(L2_BACK_WITHIN).pollInSameThread().pollInterval(Duration.ofMillis(20)).until(() -> {
						long start = System.nanoTime();
						ValueWrapper value = cache.get("peer-key");
						afterHeal.since(start);
						return value != null && "from-peer".equals(value.get());
					});
					long back = System.nanoTime() - healed;
					Optional<Recorded> closed = events.deactivation(clients.data);
					report("short blackhole: " + calls.summary() + "; L2 read again " + Latencies.format(back)
							+ " after healing; " + afterHeal.summary() + "; cache connection " + clients.data + " "
							+ closed.map((e) -> "closed after " + Latencies.format(e.nanos() - dropped))
								.orElse("kept (resumed)"));
					assertThat(calls.max()).isLessThanOrEqualTo(NO_WAIT_FOR_THE_OLD_SOCKET.toNanos());
					assertThat(afterHeal.max()).isLessThanOrEqualTo(NO_WAIT_FOR_THE_OLD_SOCKET.toNanos());
					assertThat(back).isLessThanOrEqualTo(L2_BACK_WITHIN.toNanos());
					assertThat(cache.get("after-heal", () -> db.load("after-heal"))).isEqualTo("after-heal@v1");
					assertThat(stored(this.redis.adminBytes(), context, CACHE, "after-heal"))
						.isEqualTo("after-heal@v1");

					// What TCP still delivered: writes the cache had given up on (timed
					// out) reached
					// the server once the path healed, and were executed late.
					List<String> landed = new ArrayList<>();
					for (int i = 0; i < m[0]; i++) {
						for (int j = 0; j < 5; j++) {
							String key = "short-" + i + "-" + j;
							if (stored(this.redis.adminBytes(), context, CACHE, key) != null) {
								landed.add(key);
							}
						}
					}
					report("the cache made " + attempts + " L2 calls into the blackhole; after healing Redis holds "
							+ landed.size() + " values written into it: " + landed);
					assertThat(landed).as("writes sent into the blackhole and executed late").isEmpty();
				}
				finally {
					events.close();
					this.redis.heal();
				}
			});
	}

	@Test
	void contextClosesQuicklyWhileBlackholed() {
		// A long command timeout, so callers are surely still parked on the dead path
		// while the
		// context closes.
		FaultFixture.runner(this.redis.host(), this.redis.port())
			.withPropertyValues("optimization.cache.redis.command-timeout=3s")
			.run((context) -> {
				FaultCalls.closesQuicklyWithCallersParked(context, cache(context, CACHE), this.redis::blackhole,
						"blackholed");
			});
	}

	/** Healthy: hot keys in both levels, the subscription up. */
	private void warmUp(ApplicationContext context, TieredCache cache, Database db, ItemService service) {
		for (int i = 0; i < HOT; i++) {
			String key = hot(i);
			assertThat(cache.get(key, () -> db.load(key))).isEqualTo(key + "@v1");
		}
		assertThat(stored(this.redis.adminBytes(), context, CACHE, hot(7))).isEqualTo(hot(7) + "@v1");
		assertThat(service.item("a1")).isEqualTo("a1@v1");
		await().atMost(Duration.ofSeconds(10)).until(context.getBean(InvalidationBusState.class)::isSubscribed);
	}

	/**
	 * The cache's two connections as the server lists them ({@code CLIENT LIST}): the one
	 * the cache's calls use, and the invalidation subscription, each by its client-side
	 * address.
	 */
	private Clients clients() {
		String data = null;
		String subscription = null;
		for (String line : this.redis.admin().clientList().split("\n")) {
			Map<String, String> fields = new LinkedHashMap<>();
			for (String field : line.trim().split(" ")) {
				int eq = field.indexOf('=');
				if (eq > 0) {
					fields.put(field.substring(0, eq), field.substring(eq + 1));
				}
			}
			if (!"optimization-cache".equals(fields.get("name"))) {
				continue;
			}
			if (fields.getOrDefault("flags", "").contains("P")) {
				subscription = fields.get("addr");
			}
			else {
				data = fields.get("addr");
			}
		}
		assertThat(data).as("the cache's connection in CLIENT LIST").isNotNull();
		assertThat(subscription).as("the subscription's connection in CLIENT LIST").isNotNull();
		return new Clients(data, subscription);
	}

	/**
	 * Misses of new keys, each call timed in full; every call must return the loader's
	 * value.
	 */
	private static void timedMisses(TieredCache cache, Database db, String prefix, int count, Latencies latencies) {
		for (int i = 0; i < count; i++) {
			String key = prefix + i;
			long start = System.nanoTime();
			Object value = cache.get(key, () -> db.load(key));
			latencies.since(start);
			if (!(key + "@v1").equals(value)) {
				throw new AssertionError("wrong value for " + key + ": " + value);
			}
		}
	}

	private record Clients(String data, String subscription) {
	}

	private record Recorded(long nanos, Event event) {

		String local() {
			return address(((ConnectionEvent) this.event).localAddress());
		}

		static String address(SocketAddress address) {
			if (address instanceof InetSocketAddress inet) {
				return inet.getAddress().getHostAddress() + ":" + inet.getPort();
			}
			return String.valueOf(address);
		}

	}

	/**
	 * The connection events of the cache's dedicated Lettuce client (its client
	 * resources' event bus), each with the time it was seen.
	 */
	private static final class ConnectionEvents implements AutoCloseable {

		private final Queue<Recorded> recorded = new ConcurrentLinkedQueue<>();

		private final Disposable subscription;

		private ConnectionEvents(ClientResources resources) {
			this.subscription = resources.eventBus().get().subscribe((event) -> {
				if (event instanceof ConnectionEvent) {
					this.recorded.add(new Recorded(System.nanoTime(), event));
				}
			});
		}

		static ConnectionEvents of(ApplicationContext context) {
			TieredCacheRedisConnection connection = context.getBean(TieredCacheRedisConnection.class);
			return new ConnectionEvents(connection.getDedicatedFactory().getClientResources());
		}

		/** When the connection with this client-side address was deactivated. */
		Optional<Recorded> deactivation(String local) {
			return this.recorded.stream()
				.filter((e) -> e.event() instanceof ConnectionDeactivatedEvent && e.local().equals(local))
				.findFirst();
		}

		/** The first reconnect attempt after an event. */
		Optional<Recorded> reconnectAttemptAfter(Optional<Recorded> after) {
			return after.flatMap((first) -> this.recorded.stream()
				.filter((e) -> e.event() instanceof ReconnectAttemptEvent && e.nanos() >= first.nanos())
				.findFirst());
		}

		/** The first connection activated after a time. */
		Optional<Recorded> activationAfter(long nanos) {
			return this.recorded.stream()
				.filter((e) -> e.event() instanceof ConnectionActivatedEvent && e.nanos() >= nanos)
				.findFirst();
		}

		/** The events since a time, one per line, with their time since then. */
		String since(long nanos) {
			StringBuilder lines = new StringBuilder();
			for (Recorded e : this.recorded) {
				if (e.nanos() >= nanos) {
					lines.append("\n    +")
						.append(Latencies.format(e.nanos() - nanos))
						.append(' ')
						.append(e.event().getClass().getSimpleName())
						.append(' ')
						.append(e.local());
					if (e.event() instanceof ReconnectAttemptEvent attempt) {
						lines.append(" attempt ").append(attempt.getAttempt());
					}
					if (e.event() instanceof ReconnectFailedEvent failed) {
						lines.append(" (").append(failed.getCause()).append(')');
					}
				}
			}
			return lines.toString();
		}

		@Override
		public void close() {
			this.subscription.dispose();
		}

	}

}
