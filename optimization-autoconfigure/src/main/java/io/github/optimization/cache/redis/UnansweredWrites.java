package io.github.optimization.cache.redis;

import java.util.ArrayDeque;
import java.util.Collection;

import io.lettuce.core.RedisException;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Fails the writes still waiting for a reply when the channel goes inactive. Lettuce
 * (6.6) moves such commands to its disconnected buffer and sends them again once it has
 * reconnected, without consulting the replay filter; a write that is done by then is
 * skipped. Without this, a SET sent just before Redis restarted (or a proxy reset the
 * connection) would be executed after the reconnect, possibly over a newer value another
 * instance wrote meanwhile. One instance per channel; runs on the channel's event loop.
 */
final class UnansweredWrites extends ChannelDuplexHandler {

	private final ArrayDeque<RedisCommand<?, ?, ?>> pending = new ArrayDeque<>();

	/**
	 * Writes in flight when a connection dropped are not replayed: they may be stale by
	 * then. Lettuce applies its replay filter (this) only to commands it could not write;
	 * commands that were written and still wait for a reply when the connection drops are
	 * failed by this handler instead.
	 * @param command a command
	 * @return whether it is a write
	 */
	static boolean isWrite(RedisCommand<?, ?, ?> command) {
		ProtocolKeyword type = command.getType();
		return type == CommandType.SET || type == CommandType.DEL || type == CommandType.UNLINK
				|| type == CommandType.PUBLISH || type == CommandType.SETEX || type == CommandType.PSETEX;
	}

	@Override
	public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) throws Exception {
		if (message instanceof RedisCommand<?, ?, ?> command) {
			track(command);
		}
		else if (message instanceof Collection<?> commands) {
			for (Object each : commands) {
				if (each instanceof RedisCommand<?, ?, ?> command) {
					track(command);
				}
			}
		}
		super.write(context, message, promise);
	}

	private void track(RedisCommand<?, ?, ?> command) {
		// Replies come in order, so answered writes collect at the head.
		while (!this.pending.isEmpty() && this.pending.peekFirst().isDone()) {
			this.pending.pollFirst();
		}
		if (isWrite(command)) {
			this.pending.addLast(command);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) throws Exception {
		RedisException notReplayed = null;
		for (RedisCommand<?, ?, ?> command : this.pending) {
			if (!command.isDone()) {
				if (notReplayed == null) {
					notReplayed = new RedisException(
							"Connection closed before Redis answered; the write is not sent again");
				}
				command.completeExceptionally(notReplayed);
			}
		}
		this.pending.clear();
		super.channelInactive(context);
	}

	int pendingWrites() {
		return this.pending.size();
	}

}
