package io.github.optimization.cache.redis;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A Lettuce connection of the caches' own, built from the application's
 * {@link LettuceConnectionFactory} (same servers, credentials, TLS and client name plus a
 * suffix) with {@link OutageClientOptions}, small client resources of its own whose
 * channels fail unanswered writes ({@link UnansweredWrites}), a capped reconnect delay, a
 * first connection that callers never queue for ({@link ConnectingFactory}), and a short
 * shutdown.
 */
final class DedicatedConnection implements CacheConnection {

	private final ClientResources resources;

	private final LettuceConnectionFactory factory;

	private final ExecutorService connector;

	private final ConnectingFactory connecting;

	/**
	 * Create the connection and start connecting in the background.
	 * @param application the application's factory
	 * @param settings the connection's settings
	 */
	DedicatedConnection(LettuceConnectionFactory application, RedisConnectionSettings settings) {
		this.resources = resources(settings.reconnectDelayMax());
		this.factory = factory(application, settings, this.resources);
		this.connector = Executors.newCachedThreadPool(DaemonThreads.named("optimization-cache-connect"));
		this.connecting = new ConnectingFactory(this.factory, settings.connectTimeout(), settings.commandTimeout(),
				this.connector);
		this.connecting.connectInBackground();
	}

	private static ClientResources resources(Duration reconnectDelayMax) {
		return DefaultClientResources.builder()
			.ioThreadPoolSize(2)
			.computationThreadPoolSize(2)
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), reconnectDelayMax, 2, TimeUnit.MILLISECONDS))
			.nettyCustomizer(new NettyCustomizer() {
				@Override
				public void afterChannelInitialized(Channel channel) {
					channel.pipeline().addLast(new UnansweredWrites());
				}
			})
			.build();
	}

	private static LettuceConnectionFactory factory(LettuceConnectionFactory application,
			RedisConnectionSettings settings, ClientResources resources) {
		LettuceClientConfiguration client = clientConfiguration(application.getClientConfiguration(), settings,
				resources);
		LettuceConnectionFactory factory;
		if (application.isClusterAware()) {
			factory = new LettuceConnectionFactory(application.getClusterConfiguration(), client);
		}
		else if (application.isRedisSentinelAware()) {
			factory = new LettuceConnectionFactory(application.getSentinelConfiguration(), client);
		}
		else {
			factory = new LettuceConnectionFactory(application.getStandaloneConfiguration(), client);
		}
		factory.setShareNativeConnection(true);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private static LettuceClientConfiguration clientConfiguration(LettuceClientConfiguration base,
			RedisConnectionSettings settings, ClientResources resources) {
		LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder();
		if (base.isUseSsl()) {
			LettuceClientConfiguration.LettuceSslClientConfigurationBuilder ssl = client.useSsl();
			ssl.verifyPeer(base.getVerifyMode());
			if (base.isStartTls()) {
				ssl.startTls();
			}
			client = ssl.and();
		}
		base.getReadFrom().ifPresent(client::readFrom);
		base.getRedisCredentialsProviderFactory().ifPresent(client::redisCredentialsProviderFactory);
		client.clientName(base.getClientName().map((name) -> name + "-cache").orElse("optimization-cache"));
		client.clientResources(resources);
		client.clientOptions(OutageClientOptions.of(base.getClientOptions().orElse(null), settings));
		client.commandTimeout(settings.commandTimeout());
		client.shutdownTimeout(Duration.ofMillis(100));
		client.shutdownQuietPeriod(Duration.ZERO);
		return client.build();
	}

	@Override
	public RedisConnectionFactory connectionFactory() {
		return this.connecting;
	}

	@Override
	public LettuceConnectionFactory dedicatedFactory() {
		return this.factory;
	}

	@Override
	public Optional<LettuceConnectionFactory> lettuceFactory() {
		return Optional.of(this.factory);
	}

	@Override
	public void close() {
		this.factory.destroy();
		this.resources.shutdown(0, 100, TimeUnit.MILLISECONDS);
		this.connector.shutdownNow();
	}

}
