package dev.lakerank.serving.log;

import dev.lakerank.contract.messages.FeedbackMessage;
import dev.lakerank.contract.messages.PredictionMessage;
import dev.lakerank.serving.config.KafkaLogConfiguration;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka topics {@code predictions} and {@code feedback}: one JSON message per entry ({@link
 * KafkaLogMessages}), keyed by the request id, from an idempotent producer (acks=all), so a retry
 * never writes a message twice and an answer and its feedback share a partition. Sends are
 * asynchronous; their outcomes come back in the producer's callbacks.
 *
 * <p>The producer is made on the sink's writer thread ({@link #open()}), never at the API's start:
 * brokers that are down or a host that does not resolve yet cost failed entries, not the API. A
 * batch while there is no producer tries again to make one.
 */
public final class KafkaLogSink implements LogSink {
  private final Config config;
  private final Supplier<Producer<byte[], byte[]>> producers;
  private volatile Producer<byte[], byte[]> producer;

  /**
   * A sink whose producer {@code producers} makes (a real {@link KafkaProducer}, or kafka-clients'
   * MockProducer in tests).
   */
  public KafkaLogSink(Config config, Supplier<Producer<byte[], byte[]>> producers) {
    this.config = Objects.requireNonNull(config, "config");
    this.producers = Objects.requireNonNull(producers, "producers");
  }

  /** A sink with a real producer on {@link Config#producerProperties()}. */
  public static KafkaLogSink of(Config config) {
    Properties properties = config.producerProperties();
    return new KafkaLogSink(config, () -> new KafkaProducer<>(properties));
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String settingsToCheck() {
    return "lakerank.prediction-log.kafka.bootstrap-servers (now "
        + config.bootstrapServers()
        + "; --kafka), "
        + "lakerank.prediction-log.kafka.properties.* and that the topics "
        + config.predictionsTopic()
        + " and "
        + config.feedbackTopic()
        + " exist (`lakerank kafka start` creates them on the in-process broker)";
  }

  /**
   * Makes the producer and reads both topics' partitions, which waits up to the producer's
   * max.block.ms.
   */
  @Override
  public void open() {
    Producer<byte[], byte[]> current = producer();
    current.partitionsFor(config.predictionsTopic());
    current.partitionsFor(config.feedbackTopic());
  }

  @Override
  public void write(List<LogEntry> batch, Outcomes outcomes) {
    Producer<byte[], byte[]> current = producer();
    for (LogEntry entry : batch) {
      try {
        String topic =
            entry instanceof PredictionEntry ? config.predictionsTopic() : config.feedbackTopic();
        current.send(
            new ProducerRecord<>(topic, KafkaLogMessages.key(entry), KafkaLogMessages.value(entry)),
            (metadata, error) -> {
              if (error == null) {
                outcomes.written(1);
              } else {
                outcomes.failed(1, error);
              }
            });
      } catch (RuntimeException e) {
        // what send throws (a closed producer, an interrupt, a value that cannot be written) never
        // reaches the callback
        outcomes.failed(1, e);
      }
    }
  }

  /**
   * Sends what is in flight (flush and close), within {@code timeout}; what is not sent by then
   * fails and is counted.
   */
  @Override
  public void close(Duration timeout) {
    Producer<byte[], byte[]> current = producer;
    if (current != null) {
      current.close(timeout);
    }
  }

  private Producer<byte[], byte[]> producer() {
    Producer<byte[], byte[]> current = producer;
    if (current == null) {
      synchronized (this) {
        current = producer;
        if (current == null) {
          current = producers.get();
          producer = current;
        }
      }
    }
    return current;
  }

  /**
   * The Kafka log's validated settings.
   *
   * @param bootstrapServers {@code host:port[,...]}
   * @param properties producer properties, verbatim, over the defaults
   */
  public record Config(
      String bootstrapServers,
      String predictionsTopic,
      String feedbackTopic,
      Map<String, String> properties) {
    private static final String PREFIX = "lakerank.prediction-log.kafka.";

    public Config {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException(
            PREFIX
                + "bootstrap-servers is empty; set it to host:port[,host:port...] "
                + "(bin/lakerank serve --kafka), or leave it empty to keep the Kafka log off");
      }
      bootstrapServers = bootstrapServers.strip();
      predictionsTopic = topic("predictions-topic", predictionsTopic, PredictionMessage.TOPIC);
      feedbackTopic = topic("feedback-topic", feedbackTopic, FeedbackMessage.TOPIC);
      if (predictionsTopic.equals(feedbackTopic)) {
        throw new IllegalArgumentException(
            PREFIX
                + "predictions-topic and feedback-topic are both '"
                + predictionsTopic
                + "'; `lakerank stream logs` tells the two kinds apart by topic, so give them different names");
      }
      properties = Map.copyOf(properties == null ? Map.of() : properties);
      for (String key :
          List.of(
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
              CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
        if (properties.containsKey(key)) {
          throw new IllegalArgumentException(
              PREFIX
                  + "properties."
                  + key
                  + " cannot be set: "
                  + (key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                      ? "use " + PREFIX + "bootstrap-servers"
                      : "the log writes JSON bytes")
                  + "; remove it");
        }
      }
      try {
        // Kafka's own checks of names and values (a typo, acks=1 with idempotence), here at start
        new ProducerConfig(toProperties(bootstrapServers, properties));
      } catch (ConfigException e) {
        throw new IllegalArgumentException(
            PREFIX + "properties.*: " + e.getMessage() + "; fix or remove that property", e);
      }
    }

    /** The sink's settings as configured. */
    public static Config of(KafkaLogConfiguration configuration) {
      return new Config(
          configuration.bootstrapServers(),
          configuration.predictionsTopic(),
          configuration.feedbackTopic(),
          configuration.properties());
    }

    /**
     * The producer's properties: the defaults, then {@link #properties()} verbatim, then the
     * serializers.
     */
    public Properties producerProperties() {
      return toProperties(bootstrapServers, properties);
    }

    private static Properties toProperties(
        String bootstrapServers, Map<String, String> properties) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put(CommonClientConfigs.CLIENT_ID_CONFIG, "lakerank-serving-log");
      all.put(ProducerConfig.ACKS_CONFIG, "all");
      all.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      all.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      // a send waits this long for the topics' metadata or for buffer space, on the sink's own
      // thread
      all.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
      all.putAll(properties);
      all.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      all.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      all.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      Properties result = new Properties();
      result.putAll(all);
      return result;
    }

    private static String topic(String key, String value, String fallback) {
      String topic = value == null ? fallback : value.strip();
      if (topic.isEmpty() || !topic.matches("[a-zA-Z0-9._-]{1,249}")) {
        throw new IllegalArgumentException(
            PREFIX
                + key
                + " is '"
                + value
                + "', not a Kafka topic name (letters, digits, "
                + "'.', '_', '-'; at most 249); set it, or leave it out for '"
                + fallback
                + "'");
      }
      return topic;
    }
  }
}
