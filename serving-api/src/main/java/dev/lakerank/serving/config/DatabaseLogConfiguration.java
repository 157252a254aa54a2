package dev.lakerank.serving.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code lakerank.prediction-log.database.*}: the serving database's tables {@code prediction_log}
 * and {@code feedback}.
 *
 * @param enabled off: the log goes only to Kafka
 */
@ConfigurationProperties("lakerank.prediction-log.database")
public record DatabaseLogConfiguration(@Bindable(defaultValue = "true") boolean enabled) {}
