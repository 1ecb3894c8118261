package io.github.optimization.autoconfigure.jdbc;

import org.springframework.context.annotation.Configuration;

/**
 * Placeholder, replaced by its implementation before this branch is merged.
 */
@Configuration(proxyBeanMethods = false)
class ReadReplicaConfiguration {

}
