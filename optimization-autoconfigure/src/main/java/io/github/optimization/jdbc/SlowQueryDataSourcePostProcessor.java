package io.github.optimization.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Wraps every {@link DataSource} bean in a datasource-proxy {@link ProxyDataSource} whose
 * {@link SlowQueryListener} logs and counts slow statements.
 * <p>
 * datasource-proxy is used instead of hand-written {@code Statement} wrappers: it is a
 * maintained JDBC proxy covering every statement kind (plain, prepared, callable,
 * batches), with a listener API that measures each execution and gives access to the
 * bound parameters, which can then be redacted.
 * <p>
 * The wrapping happens after initialization, so the pool is configured and bound as
 * usual. The original data source stays reachable: {@code unwrap} and
 * {@code isWrapperFor} are delegated to it (so Spring Boot's {@link DataSourceUnwrapper},
 * used by the HikariCP metrics, health and JMX support, still finds the
 * {@link HikariDataSource}), and closing the proxy closes it. Injection points must ask
 * for a {@code DataSource}, not a {@code HikariDataSource}.
 */
public class SlowQueryDataSourcePostProcessor implements BeanPostProcessor, Ordered {

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			SlowQueryDataSourcePostProcessor.class.getClassLoader());

	private final Duration threshold;

	private final boolean logParameters;

	private final Supplier<SlowQueryMetrics> metrics;

	/**
	 * Create a post-processor.
	 * @param threshold executions taking longer than this are slow; must be positive
	 * @param logParameters whether log lines include bound values and unmasked SQL
	 * @param metrics where slow executions are counted, asked for when a data source is
	 * wrapped
	 */
	public SlowQueryDataSourcePostProcessor(Duration threshold, boolean logParameters,
			Supplier<SlowQueryMetrics> metrics) {
		this.threshold = threshold;
		this.logParameters = logParameters;
		this.metrics = metrics;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof DataSource dataSource) || isProxied(dataSource) || isRouting(dataSource)) {
			return bean;
		}
		SlowQueryMetrics counter = this.metrics.get();
		SlowQueryListener listener = new SlowQueryListener(this.threshold, () -> poolName(dataSource, beanName),
				new SlowQueryLog(this.logParameters), (counter != null) ? counter : SlowQueryMetrics.NONE);
		return ProxyDataSourceBuilder.create(beanName, dataSource).listener(listener).build();
	}

	/** Wrapped last, after every other post-processor saw the pool itself. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * A data source that only routes to pools (read replicas, lazy proxies) is not
	 * wrapped: its pools are, so each statement is timed once and tagged with the pool
	 * that ran it.
	 */
	private static boolean isRouting(DataSource dataSource) {
		if (dataSource instanceof org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource
				|| dataSource instanceof org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy) {
			return true;
		}
		try {
			return dataSource.isWrapperFor(ReplicaRoutingDataSource.class);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static boolean isProxied(DataSource dataSource) {
		try {
			return dataSource instanceof ProxyDataSource || dataSource.isWrapperFor(ProxyDataSource.class);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/**
	 * The HikariCP pool name (the {@code pool} tag of its meters), else the bean name.
	 */
	static String poolName(DataSource dataSource, String beanName) {
		if (HIKARI_PRESENT) {
			HikariDataSource hikari = DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class,
					HikariDataSource.class);
			if (hikari != null && hikari.getPoolName() != null) {
				return hikari.getPoolName();
			}
		}
		return beanName;
	}

}
