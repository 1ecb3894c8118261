package io.github.optimization.autoconfigure.jdbc;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.github.optimization.autoconfigure.BootAutoConfigurationNames;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The database side of the starter: HikariCP pools tuned to the machine and the database,
 * read-only transactions routed to replicas, and slow statements logged and counted. Each
 * part is its own configuration class.
 */
@AutoConfiguration(beforeName = { BootAutoConfigurationNames.DATA_SOURCE_3, BootAutoConfigurationNames.DATA_SOURCE_4 })
@ConditionalOnClass({ DataSource.class, HikariDataSource.class })
@ConditionalOnProperty(prefix = "optimization.jdbc", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(JdbcOptimizationProperties.class)
@Import({ HikariTuningConfiguration.class, ReadReplicaConfiguration.class, SlowQueryConfiguration.class })
public class JdbcOptimizationAutoConfiguration {

}
