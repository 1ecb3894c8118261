package io.github.optimization.cache.redis;

import java.time.Duration;
import java.util.concurrent.Executor;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The dedicated factory as the cache's calls see it. Spring Data Redis opens the shared
 * connection on first use, synchronously and under a lock: with Redis hung (TCP accepted,
 * no answer) each caller would pay a whole handshake (about twice the command timeout)
 * and, worse, wait for every caller ahead of it in the lock, for seconds. Here, until a
 * connection has been established, one attempt runs in the background and callers wait
 * for it, then fail like a timed-out command (which counts against the breaker): for the
 * first attempt, which starts with the application, at most the connect timeout (a cold
 * JVM needs a few hundred milliseconds for its first connection), for later ones at most
 * the command timeout. Once established, Lettuce keeps the connection and reconnects it
 * itself (rejecting commands while disconnected), so calls go straight to the factory.
 */
final class ConnectingFactory implements RedisConnectionFactory, ReactiveRedisConnectionFactory {

	private final LettuceConnectionFactory delegate;

	private final ConnectionGate connection;

	private final ConnectionGate reactiveConnection;

	ConnectingFactory(LettuceConnectionFactory delegate, Duration firstWait, Duration wait, Executor executor) {
		this.delegate = delegate;
		this.connection = new ConnectionGate(() -> delegate.getConnection().close(), firstWait, wait, executor);
		this.reactiveConnection = new ConnectionGate(() -> {
			ReactiveRedisConnection reactive = delegate.getReactiveConnection();
			reactive.close();
		}, firstWait, wait, executor);
	}

	/**
	 * Connect in the background now, so the first calls find the connection ready.
	 */
	void connectInBackground() {
		this.connection.start();
	}

	@Override
	public RedisConnection getConnection() {
		this.connection.await();
		return this.delegate.getConnection();
	}

	@Override
	public RedisClusterConnection getClusterConnection() {
		this.connection.await();
		return this.delegate.getClusterConnection();
	}

	@Override
	public ReactiveRedisConnection getReactiveConnection() {
		this.reactiveConnection.await();
		return this.delegate.getReactiveConnection();
	}

	@Override
	public ReactiveRedisClusterConnection getReactiveClusterConnection() {
		this.reactiveConnection.await();
		return this.delegate.getReactiveClusterConnection();
	}

	@Override
	public boolean getConvertPipelineAndTxResults() {
		return this.delegate.getConvertPipelineAndTxResults();
	}

	@Override
	public RedisSentinelConnection getSentinelConnection() {
		return this.delegate.getSentinelConnection();
	}

	@Override
	public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
		return this.delegate.translateExceptionIfPossible(ex);
	}

}
