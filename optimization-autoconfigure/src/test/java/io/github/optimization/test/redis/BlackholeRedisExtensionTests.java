package io.github.optimization.test.redis;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The blackhole fixture itself: the server answers through the veth pair, a blackhole
 * drops traffic silently in both directions (new connections and an established one),
 * healing restores it, the established connection survives the blackhole, and closing
 * leaves nothing behind. Root only (skipped otherwise, with the reason).
 */
@Tag("fault-root")
class BlackholeRedisExtensionTests {

	private static final Duration PROBE = Duration.ofMillis(500);

	@Test
	void blackholesSilentlyInBothDirectionsAndHealsAndLeavesNothingBehind() throws IOException {
		String reason = BlackholeRedisExtension.unavailableReason();
		Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
		BlackholeRedisExtension redis = new BlackholeRedisExtension();
		NetworkNamespace namespace;
		long pid;
		try {
			redis.start();
			assertThat(redis.host()).startsWith("10.213.").isNotEqualTo(redis.clientHost());
			assertThat(redis.admin().ping()).isEqualTo("PONG");
			try (Socket established = new Socket(redis.host(), redis.port())) {
				established.setSoTimeout(Math.toIntExact(PROBE.toMillis()));
				assertThat(ping(established)).isEqualTo("+PONG");
				assertThat(redis.serverConnections())
					.anyMatch((line) -> line.endsWith(redis.clientHost() + ":" + established.getLocalPort()));

				redis.blackhole();
				assertThat(redis.rules()).contains("--dport " + redis.port() + " -j DROP")
					.contains("--sport " + redis.port() + " -j DROP");
				// A new connection: the SYN goes unanswered (no reset: a timeout, not a
				// refusal).
				assertThatExceptionOfType(SocketTimeoutException.class)
					.isThrownBy(() -> RespProbe.open(redis.host(), redis.port(), PROBE));
				// The established one: no answer, and no reset either.
				assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> ping(established));
				// The server still holds the connection: it never heard of the blackhole.
				assertThat(redis.serverConnections())
					.anyMatch((line) -> line.endsWith(redis.clientHost() + ":" + established.getLocalPort()));
				redis.blackhole();

				redis.heal();
				assertThat(redis.rules()).doesNotContain("DROP");
				try (RespProbe probe = RespProbe.open(redis.host(), redis.port(), Duration.ofSeconds(2))) {
					assertThat(probe.command("PING")).isEqualTo("PONG");
				}
				// The PING sent into the blackhole is retransmitted and answered after
				// all.
				established.setSoTimeout(10_000);
				assertThat(readLine(established)).isEqualTo("+PONG");
				assertThat(ping(established)).isEqualTo("+PONG");
			}
			namespace = fixtureNamespace(redis);
			pid = redis.pidForTests();
		}
		finally {
			redis.close();
		}
		assertThat(namespace.exists()).isFalse();
		assertThat(ProcessSignals.isAlive(pid)).isFalse();
		assertThatIllegalStateException().isThrownBy(redis::port);
		redis.close();
	}

	private static NetworkNamespace fixtureNamespace(BlackholeRedisExtension redis) {
		return redis.namespaceForTests();
	}

	private static String ping(Socket socket) throws IOException {
		socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		return readLine(socket);
	}

	private static String readLine(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1 && c != '\n') {
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

}
