package dev.lakerank.serving.log;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code lakerank.prediction-log.*}: the asynchronous log of answers and feedback, and its sinks
 * ({@code database.*}, {@code kafka.*}).
 *
 * <p>Mutable for Micronaut's binding; read only after start, through the validated {@link
 * KafkaLogSink.Config}.
 */
@ConfigurationProperties("lakerank.prediction-log")
public class PredictionLogSettings {
  private boolean enabled = true;
  private int buffer = 10_000;
  private Duration closeTimeout = Duration.ofSeconds(10);

  /** Off: nothing is recorded anywhere. */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Entries each sink holds before it drops new ones (counted in {@code lakerank.log.dropped}). */
  public int getBuffer() {
    return buffer;
  }

  public void setBuffer(int buffer) {
    this.buffer = buffer;
  }

  /**
   * How long a stop waits for the buffered and in-flight entries to be written, all sinks together.
   */
  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  public void setCloseTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
  }

  /**
   * {@code lakerank.prediction-log.database.*}: the serving database's tables {@code
   * prediction_log} and {@code feedback}.
   */
  @ConfigurationProperties("database")
  public static class Database {
    private boolean enabled = true;

    /** Off: the log goes only to Kafka (the serving database is not written). */
    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /**
   * {@code lakerank.prediction-log.kafka.*}: the topics {@code lakerank stream logs} reads into
   * Delta.
   */
  @ConfigurationProperties("kafka")
  public static class Kafka {
    private String bootstrapServers = "";
    private String predictionsTopic = KafkaLogSink.Config.DEFAULT_PREDICTIONS_TOPIC;
    private String feedbackTopic = KafkaLogSink.Config.DEFAULT_FEEDBACK_TOPIC;
    private Map<String, String> properties = new LinkedHashMap<>();

    /** {@code host:port[,host:port...]}; empty (the default) leaves the Kafka log off. */
    public String getBootstrapServers() {
      return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    /** The answers' topic. */
    public String getPredictionsTopic() {
      return predictionsTopic;
    }

    public void setPredictionsTopic(String predictionsTopic) {
      this.predictionsTopic = predictionsTopic;
    }

    /** The feedback's topic. */
    public String getFeedbackTopic() {
      return feedbackTopic;
    }

    public void setFeedbackTopic(String feedbackTopic) {
      this.feedbackTopic = feedbackTopic;
    }

    /**
     * Producer properties passed verbatim ({@code properties.security.protocol: SASL_SSL}); they
     * override the sink's defaults (acks=all, idempotence, linger.ms=5, max.block.ms=10000).
     */
    public Map<String, String> getProperties() {
      return properties;
    }

    public void setProperties(
        @MapFormat(
                transformation = MapFormat.MapTransformation.FLAT,
                keyFormat = StringConvention.RAW)
            Map<String, String> properties) {
      this.properties =
          properties == null ? new LinkedHashMap<>() : new LinkedHashMap<>(properties);
    }

    /** Whether the Kafka log is on: bootstrap servers are set. */
    public boolean configured() {
      return bootstrapServers != null && !bootstrapServers.isBlank();
    }

    /** The validated settings. */
    public KafkaLogSink.Config config() {
      return new KafkaLogSink.Config(bootstrapServers, predictionsTopic, feedbackTopic, properties);
    }
  }
}
