package io.github.optimization.autoconfigure.cache;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

/**
 * Invalidation messages between instances sharing a Redis.
 */
public class InvalidationSettings {

	/**
	 * Whether puts and evictions are published to other instances, and theirs applied.
	 */
	private boolean enabled = true;

	/**
	 * Channel of the messages. Defaults to the key prefix followed by "invalidations", so
	 * applications with different prefixes never see each other's messages.
	 */
	private String channel;

	/**
	 * How often the subscription is checked with a PING (and re-established if lost).
	 */
	private Duration pingInterval = Duration.ofSeconds(5);

	/**
	 * How long a PING on the subscription may take before it is deemed dead, which drops
	 * every in-process entry and replaces the subscription.
	 */
	private Duration pongTimeout = Duration.ofSeconds(1);

	/**
	 * Messages waiting to be applied before newer ones are dropped (which drops every
	 * in-process entry instead).
	 */
	private int queueCapacity = 10_000;

	/**
	 * Largest message accepted; larger ones are dropped and counted.
	 */
	private DataSize maxMessageSize = DataSize.ofKilobytes(4);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getChannel() {
		return this.channel;
	}

	public void setChannel(String channel) {
		this.channel = channel;
	}

	public Duration getPingInterval() {
		return this.pingInterval;
	}

	public void setPingInterval(Duration pingInterval) {
		this.pingInterval = pingInterval;
	}

	public Duration getPongTimeout() {
		return this.pongTimeout;
	}

	public void setPongTimeout(Duration pongTimeout) {
		this.pongTimeout = pongTimeout;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		this.queueCapacity = queueCapacity;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

}
