package dev.lakerank.serving.config;

import dev.lakerank.contract.messages.FeedbackMessage;
import dev.lakerank.contract.messages.PredictionMessage;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code lakerank.prediction-log.kafka.*}: the topics {@code lakerank stream logs} reads into
 * Delta. Checked whole, with Kafka's own producer checks, when the sink is made ({@code
 * KafkaLogSink.Config}).
 *
 * @param bootstrapServers {@code host:port[,host:port...]}; empty leaves the Kafka log off
 * @param properties producer properties passed verbatim ({@code properties.security.protocol:
 *     SASL_SSL}); they override the sink's defaults (acks=all, idempotence, linger.ms=5,
 *     max.block.ms=10000)
 */
@ConfigurationProperties("lakerank.prediction-log.kafka")
public record KafkaLogConfiguration(
    @Bindable(defaultValue = "") @NotNull String bootstrapServers,
    @Bindable(defaultValue = PredictionMessage.TOPIC) @NotNull String predictionsTopic,
    @Bindable(defaultValue = FeedbackMessage.TOPIC) @NotNull String feedbackTopic,
    @Nullable
        @MapFormat(
            transformation = MapFormat.MapTransformation.FLAT,
            keyFormat = StringConvention.RAW)
        Map<String, String> properties) {
  public KafkaLogConfiguration {
    properties = properties == null ? Map.of() : new LinkedHashMap<>(properties);
  }

  /** Whether the Kafka log is on: bootstrap servers are set. */
  public boolean configured() {
    return !bootstrapServers.isBlank();
  }
}
