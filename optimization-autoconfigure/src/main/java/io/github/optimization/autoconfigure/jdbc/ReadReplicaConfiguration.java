package io.github.optimization.autoconfigure.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.github.optimization.InvalidSettingException;
import io.github.optimization.autoconfigure.jdbc.JdbcOptimizationProperties.Replica;
import io.github.optimization.jdbc.ReplicaDataSourceBuilder;
import io.github.optimization.jdbc.ReplicaRoutingDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.util.StringUtils;

/**
 * Read replicas: when {@code optimization.jdbc.replicas} lists at least one, transactions
 * marked read-only use a replica and everything else the primary.
 *
 * <p>
 * The application's {@link DataSource} (Boot's pool built from
 * {@code spring.datasource.*}, or the application's own) stays as it is. Beside it come:
 * <ul>
 * <li>one {@link HikariDataSource} bean per replica, named {@code <name>DataSource},
 * whose pool is named after the replica (so HikariCP's meters carry {@code pool=<name>})
 * and inherits the primary pool's settings. They are not default candidates: injecting a
 * {@code DataSource} or a {@code HikariDataSource} by type never yields a replica, while
 * Boot's pool metrics and health checks, which look at every {@code DataSource} bean, see
 * them;</li>
 * <li>the {@code @Primary} {@link DataSource} {@value #ROUTING_DATA_SOURCE_BEAN_NAME}, a
 * {@link LazyConnectionDataSourceProxy} over a {@link ReplicaRoutingDataSource}, which
 * JdbcTemplate, JPA and the transaction managers receive.</li>
 * </ul>
 *
 * <p>
 * Those beans are registered once every configuration class has been processed, so Boot's
 * {@code DataSourceAutoConfiguration} still creates the primary pool. Nothing is
 * registered when the application routes on its own (a bean declared as an
 * {@link AbstractRoutingDataSource} or a {@link LazyConnectionDataSourceProxy}), or when
 * there are several {@code DataSource} beans and none is primary.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy",
		"org.springframework.transaction.support.TransactionSynchronizationManager" })
@Conditional(ReadReplicaConfiguration.ReplicasConfiguredCondition.class)
class ReadReplicaConfiguration {

	/**
	 * Name of the routing {@code @Primary} data source bean.
	 */
	static final String ROUTING_DATA_SOURCE_BEAN_NAME = "replicaRoutingDataSource";

	private static final String REPLICAS_PROPERTY = "optimization.jdbc.replicas";

	@Bean
	static ReplicaBeansRegistrar replicaBeansRegistrar(Environment environment) {
		JdbcOptimizationProperties properties = Binder.get(environment)
			.bindOrCreate("optimization.jdbc", JdbcOptimizationProperties.class);
		return new ReplicaBeansRegistrar(properties.getReplicas(), properties.getReplicaRetryInterval());
	}

	/**
	 * Registers the replica pools and the routing data source beside the primary.
	 */
	static class ReplicaBeansRegistrar implements BeanDefinitionRegistryPostProcessor {

		private static final Log logger = LogFactory.getLog(ReplicaBeansRegistrar.class);

		private final Map<String, Replica> replicas;

		private final Duration retryInterval;

		ReplicaBeansRegistrar(List<Replica> replicas, Duration retryInterval) {
			this.replicas = validate(replicas);
			if (retryInterval == null || retryInterval.isNegative()) {
				throw new InvalidSettingException("optimization.jdbc.replica-retry-interval",
						"must not be negative, was " + retryInterval);
			}
			this.retryInterval = retryInterval;
		}

		private static Map<String, Replica> validate(List<Replica> replicas) {
			Map<String, Replica> byName = new LinkedHashMap<>();
			for (int i = 0; i < replicas.size(); i++) {
				Replica replica = replicas.get(i);
				String property = REPLICAS_PROPERTY + "[" + i + "]";
				if (!StringUtils.hasText(replica.getUrl())) {
					throw new InvalidSettingException(property + ".url", "must be set to the replica's JDBC URL"
							+ ((replica.getUrl() != null) ? ", was '" + replica.getUrl() + "'" : ""));
				}
				String name = StringUtils.hasText(replica.getName()) ? replica.getName() : "replica-" + (i + 1);
				if (byName.putIfAbsent(name, replica) != null) {
					throw new InvalidSettingException(property + ".name",
							"must be unique among the replicas, was '" + name + "' a second time");
				}
				if (replica.getMaximumPoolSize() != null && replica.getMaximumPoolSize() < 1) {
					throw new InvalidSettingException(property + ".maximum-pool-size",
							"must be at least 1 (or unset for the primary's size), was "
									+ replica.getMaximumPoolSize());
				}
			}
			return byName;
		}

		@Override
		public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
			if (!(registry instanceof ConfigurableListableBeanFactory beanFactory)) {
				logger.warn("Read replicas are configured but the bean factory cannot be inspected; ignoring them");
				return;
			}
			String primary = findPrimary(beanFactory);
			if (primary == null) {
				return;
			}
			List<String> replicaBeanNames = new ArrayList<>();
			this.replicas.forEach((name, replica) -> {
				String beanName = name + "DataSource";
				if (registry.containsBeanDefinition(beanName)) {
					throw new IllegalStateException("Cannot register the pool of read replica '" + name
							+ "': a bean named '" + beanName + "' already exists");
				}
				registry.registerBeanDefinition(beanName, replicaDefinition(beanFactory, primary, name, replica));
				replicaBeanNames.add(beanName);
			});
			if (registry.containsBeanDefinition(primary)) {
				registry.getBeanDefinition(primary).setPrimary(false);
			}
			registry.registerBeanDefinition(ROUTING_DATA_SOURCE_BEAN_NAME,
					routingDefinition(beanFactory, primary, replicaBeanNames));
		}

		private String findPrimary(ConfigurableListableBeanFactory beanFactory) {
			String[] candidates = beanFactory.getBeanNamesForType(DataSource.class, true, false);
			Set<String> primaries = new HashSet<>();
			for (String candidate : candidates) {
				Class<?> type = beanFactory.getType(candidate, false);
				if (type != null && (AbstractRoutingDataSource.class.isAssignableFrom(type)
						|| LazyConnectionDataSourceProxy.class.isAssignableFrom(type))) {
					logger.info("Read replicas are configured but the application routes connections itself (bean '"
							+ candidate + "'); leaving routing to it");
					return null;
				}
				if (beanFactory.containsBeanDefinition(candidate)
						&& beanFactory.getBeanDefinition(candidate).isPrimary()) {
					primaries.add(candidate);
				}
			}
			if (candidates.length == 1) {
				return candidates[0];
			}
			if (primaries.size() == 1) {
				return primaries.iterator().next();
			}
			logger.warn("Read replicas are configured but there is no single primary DataSource among "
					+ List.of(candidates) + "; read-only transactions are not routed to replicas");
			return null;
		}

		private RootBeanDefinition replicaDefinition(ConfigurableListableBeanFactory beanFactory, String primary,
				String name, Replica replica) {
			RootBeanDefinition definition = new RootBeanDefinition(HikariDataSource.class,
					() -> ReplicaDataSourceBuilder.inheriting(primaryPool(beanFactory, primary))
						.name(name)
						.url(replica.getUrl())
						.username(replica.getUsername())
						.password(replica.getPassword())
						.maximumPoolSize(replica.getMaximumPoolSize())
						.build());
			definition.setDefaultCandidate(false);
			definition.setDependsOn(primary);
			definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
			return definition;
		}

		private static HikariDataSource primaryPool(ConfigurableListableBeanFactory beanFactory, String primary) {
			DataSource dataSource = beanFactory.getBean(primary, DataSource.class);
			HikariDataSource pool = DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class,
					HikariDataSource.class);
			if (pool == null) {
				logger.info("The primary DataSource is not a HikariCP pool; replica pools use HikariCP's defaults");
			}
			return pool;
		}

		private RootBeanDefinition routingDefinition(ConfigurableListableBeanFactory beanFactory, String primary,
				List<String> replicaBeanNames) {
			Duration retryInterval = this.retryInterval;
			Set<String> names = this.replicas.keySet();
			RootBeanDefinition definition = new RootBeanDefinition(LazyConnectionDataSourceProxy.class, () -> {
				Map<String, DataSource> replicas = new LinkedHashMap<>();
				int i = 0;
				for (String name : names) {
					replicas.put(name, beanFactory.getBean(replicaBeanNames.get(i++), DataSource.class));
				}
				return ReplicaRoutingDataSource.lazy(beanFactory.getBean(primary, DataSource.class), replicas,
						retryInterval);
			});
			definition.setPrimary(true);
			return definition;
		}

		@Override
		public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		}

	}

	/**
	 * Matches when at least one read replica is configured.
	 */
	static class ReplicasConfiguredCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			int count = Binder.get(context.getEnvironment())
				.bind(REPLICAS_PROPERTY, Bindable.listOf(Replica.class))
				.map(List::size)
				.orElse(0);
			return (count > 0) ? ConditionOutcome.match(count + " read replica(s) configured")
					: ConditionOutcome.noMatch("No read replica configured in " + REPLICAS_PROPERTY);
		}

	}

}
