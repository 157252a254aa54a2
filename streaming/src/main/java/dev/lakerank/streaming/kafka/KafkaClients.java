package dev.lakerank.streaming.kafka;

import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.config.LakerankConfig.StreamSettings;
import dev.lakerank.streaming.StreamingErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How the streaming jobs talk to Kafka: the client properties ({@code kafka.bootstrap-servers} plus
 * {@code kafka.conf.*} verbatim), as Spark's Kafka options and as plain client properties, and the
 * topics they use.
 */
public final class KafkaClients {
  private KafkaClients() {}

  /** The options of Spark's Kafka source and sink: {@code kafka.}-prefixed client properties. */
  public static Map<String, String> sparkOptions(StreamSettings settings) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put(
        "kafka." + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    settings.kafkaConf().forEach((key, value) -> options.put("kafka." + key, value));
    return options;
  }

  /** Properties of a plain Kafka client. */
  public static Properties properties(StreamSettings settings) {
    Properties properties = new Properties();
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    properties.putAll(settings.kafkaConf());
    return properties;
  }

  /**
   * Properties of a producer that never writes a message twice on a retry (idempotent, acks=all).
   */
  public static Properties producer(StreamSettings settings) {
    Properties properties = properties(settings);
    properties.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    properties.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return properties;
  }

  /** Every topic the streaming jobs read or write. */
  public static List<String> topics(StreamSettings settings) {
    return List.of(
        settings.eventsTopic(),
        settings.deadLetterTopic(),
        settings.predictionsTopic(),
        settings.feedbackTopic());
  }

  /**
   * Creates the topics that do not exist yet, with {@code partitions} partitions and {@code
   * replication} replicas; returns the ones created.
   *
   * @throws LakerankException when the brokers do not answer, naming them
   */
  public static List<String> createTopics(
      StreamSettings settings, List<String> topics, int partitions, short replication) {
    try (Admin admin = Admin.create(properties(settings))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : topics) {
        if (!existing.contains(topic)) {
          missing.add(new NewTopic(topic, partitions, replication));
        }
      }
      List<String> created = new ArrayList<>();
      for (NewTopic topic : missing) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
          created.add(topic.name());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return created;
    } catch (ExecutionException | TimeoutException e) {
      throw unreachable(settings, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StreamingErrors.unavailable("interrupted while creating Kafka topics");
    }
  }

  /**
   * Checks that {@code topics} exist.
   *
   * @throws LakerankException naming the missing ones and how to create them
   */
  public static void requireTopics(StreamSettings settings, List<String> topics) {
    try (Admin admin = Admin.create(properties(settings))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<String> missing = topics.stream().filter(t -> !existing.contains(t)).toList();
      if (!missing.isEmpty()) {
        throw missingTopics(settings, missing);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw unreachable(settings, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StreamingErrors.unavailable("interrupted while listing Kafka topics");
    }
  }

  /**
   * The end offset of each partition of {@code topic}: the offset its next message will get.
   *
   * @throws LakerankException when the brokers do not answer, naming them
   */
  public static Map<Integer, Long> endOffsets(StreamSettings settings, String topic) {
    try (Admin admin = Admin.create(properties(settings))) {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
      description
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<Integer, Long> offsets = new LinkedHashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((partition, info) -> offsets.put(partition.partition(), info.offset()));
      return offsets;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw missingTopics(settings, List.of(topic));
      }
      throw unreachable(settings, e);
    } catch (TimeoutException e) {
      throw unreachable(settings, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StreamingErrors.unavailable("interrupted while reading the end offsets of " + topic);
    }
  }

  private static LakerankException missingTopics(StreamSettings settings, List<String> missing) {
    return StreamingErrors.notFound(
        "Kafka at "
            + settings.bootstrapServers()
            + " has no topic "
            + String.join(", ", missing)
            + "; `lakerank kafka start` creates them on the in-process broker, on a cluster create them with its tools");
  }

  /** The error for brokers that did not answer. */
  public static LakerankException unreachable(StreamSettings settings, Exception cause) {
    Throwable root =
        cause instanceof ExecutionException && cause.getCause() != null ? cause.getCause() : cause;
    return StreamingErrors.unavailable(
        "Kafka at "
            + settings.bootstrapServers()
            + " did not answer ("
            + root.getClass().getSimpleName()
            + (root.getMessage() == null ? "" : ": " + root.getMessage())
            + "); start one with `lakerank kafka start`, or point "
            + "kafka.bootstrap-servers (--bootstrap-servers) at your cluster",
        cause);
  }
}
