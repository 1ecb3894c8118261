package io.github.optimization.cache.redis;

import io.github.optimization.resilience.RedisFailures;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dedicated connection's outage behaviour, without a server: the replay filter's
 * classification, and the channel handler that fails writes still unanswered when the
 * channel goes inactive (Lettuce would otherwise send them again after reconnecting).
 */
class UnansweredWritesTests {

	@Test
	void writesAreFilteredReadsAreNot() {
		assertThat(UnansweredWrites.isWrite(command(CommandType.SET))).isTrue();
		assertThat(UnansweredWrites.isWrite(command(CommandType.UNLINK))).isTrue();
		assertThat(UnansweredWrites.isWrite(command(CommandType.PUBLISH))).isTrue();
		assertThat(UnansweredWrites.isWrite(command(CommandType.GET))).isFalse();
		assertThat(UnansweredWrites.isWrite(command(CommandType.PING))).isFalse();
	}

	@Test
	void unansweredWritesFailWhenTheChannelGoesInactiveAndReadsStayForReplay() {
		EmbeddedChannel channel = new EmbeddedChannel(new UnansweredWrites());
		AsyncCommand<byte[], byte[], String> set = command(CommandType.SET);
		AsyncCommand<byte[], byte[], String> get = command(CommandType.GET);
		channel.writeOutbound(set, get);

		channel.close();

		assertThat(set.isCompletedExceptionally()).isTrue();
		assertThat(failure(set)).hasMessageContaining("not sent again");
		assertThat(RedisFailures.isUnavailable(failure(set))).as("counts as Redis unreachable").isTrue();
		assertThat(get.isDone()).as("a read may be replayed").isFalse();
	}

	@Test
	void answeredWritesAreForgotten() {
		UnansweredWrites handler = new UnansweredWrites();
		EmbeddedChannel channel = new EmbeddedChannel(handler);
		AsyncCommand<byte[], byte[], String> first = command(CommandType.SET);
		channel.writeOutbound(first);
		first.complete("OK");
		AsyncCommand<byte[], byte[], String> second = command(CommandType.SET);
		channel.writeOutbound(java.util.List.of(second));
		assertThat(handler.pendingWrites()).isEqualTo(1);

		channel.close();

		assertThat(first.isCompletedExceptionally()).isFalse();
		assertThat(second.isCompletedExceptionally()).isTrue();
	}

	private static Throwable failure(AsyncCommand<byte[], byte[], String> command) {
		return command.handle((value, error) -> error).join();
	}

	private static AsyncCommand<byte[], byte[], String> command(CommandType type) {
		return new AsyncCommand<>(new Command<>(type, new StatusOutput<>(ByteArrayCodec.INSTANCE)));
	}

}
