package dev.lakerank.serving.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code lakerank.prediction-log.*}: the asynchronous log of answers and feedback; its sinks are
 * {@link DatabaseLogConfiguration} and {@link KafkaLogConfiguration}.
 *
 * @param enabled off: nothing is recorded anywhere
 * @param buffer entries each sink holds before it drops new ones (counted in {@code
 *     lakerank.log.dropped})
 * @param closeTimeout how long a stop waits for the buffered and in-flight entries to be written,
 *     all sinks together
 */
@ConfigurationProperties("lakerank.prediction-log")
public record PredictionLogConfiguration(
    @Bindable(defaultValue = "true") boolean enabled,
    @Bindable(defaultValue = "10000") @Min(1) int buffer,
    @Bindable(defaultValue = "10s") @NotNull Duration closeTimeout) {}
