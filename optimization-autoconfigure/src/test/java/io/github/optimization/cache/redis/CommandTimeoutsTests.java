package io.github.optimization.cache.redis;

import java.time.Duration;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-command timeouts of the dedicated connection: data commands get the cache's
 * command timeout, the invalidation subscription's commands the control timeout.
 */
class CommandTimeoutsTests {

	@Test
	void dataCommandsGetTheCommandTimeoutAndTheSubscriptionsCommandsTheControlTimeout() {
		CommandTimeouts timeouts = new CommandTimeouts(Duration.ofMillis(50), Duration.ofSeconds(1));
		assertThat(timeouts.getTimeout(command(CommandType.GET))).isEqualTo(50);
		assertThat(timeouts.getTimeout(command(CommandType.SET))).isEqualTo(50);
		assertThat(timeouts.getTimeout(command(CommandType.SCAN))).isEqualTo(50);
		assertThat(timeouts.getTimeout(command(CommandType.PUBLISH))).isEqualTo(50);
		assertThat(timeouts.getTimeout(command(CommandType.SUBSCRIBE))).isEqualTo(1_000);
		assertThat(timeouts.getTimeout(command(CommandType.UNSUBSCRIBE))).isEqualTo(1_000);
		assertThat(timeouts.getTimeout(command(CommandType.PING))).isEqualTo(1_000);
		assertThat(
				new CommandTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1)).getTimeout(command(CommandType.PING)))
			.as("never shorter than the command timeout")
			.isEqualTo(2_000);
	}

	private static AsyncCommand<byte[], byte[], String> command(CommandType type) {
		return new AsyncCommand<>(new Command<>(type, new StatusOutput<>(ByteArrayCodec.INSTANCE)));
	}

}
