package dev.lakerank.streaming.testing;

import dev.lakerank.streaming.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one real Kafka broker of a test JVM: {@link EmbeddedKafka} (KRaft, in process) on a free port
 * and a temporary log, started on first use and stopped when the JVM exits. Tests make their own
 * topics ({@link #newTopic}) so they never see each other's messages.
 */
public final class KafkaHarness {
  private static EmbeddedKafka broker;

  private KafkaHarness() {}

  /** The broker, started on first call. */
  public static synchronized EmbeddedKafka broker() {
    if (broker == null) {
      try {
        broker = EmbeddedKafka.start(Files.createTempDirectory("lakerank-test-kafka"), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedKafka started = broker;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
    }
    return broker;
  }

  public static String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /** Creates a topic named {@code prefix-<random>} with {@code partitions} partitions. */
  public static String newTopic(String prefix, int partitions) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = Admin.create(clientProperties())) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return name;
  }

  /**
   * Sends each value (null for a message with no value) with {@code key}, and waits until all are
   * acknowledged.
   */
  public static void send(String topic, String key, List<byte[]> values) {
    Properties properties = clientProperties();
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (byte[] value : values) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)));
      }
      for (java.util.concurrent.Future<?> future : sent) {
        future.get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot send to " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends events keyed by their user id, as an event producer does (and {@code lakerank produce}):
   * one user's events stay in order on one partition.
   */
  public static void sendEvents(String topic, List<String> events) {
    java.util.regex.Pattern user = java.util.regex.Pattern.compile("\"user_id\":\"?([^\",}]*)");
    Map<String, List<byte[]>> byKey = new java.util.LinkedHashMap<>();
    for (String event : events) {
      java.util.regex.Matcher matcher = user.matcher(event);
      byKey
          .computeIfAbsent(matcher.find() ? matcher.group(1) : "", k -> new ArrayList<>())
          .add(event.getBytes(StandardCharsets.UTF_8));
    }
    byKey.forEach((key, values) -> send(topic, key, values));
  }

  /** Sends text messages. */
  public static void sendText(String topic, List<String> messages) {
    send(
        topic,
        null,
        messages.stream().map(m -> m == null ? null : m.getBytes(StandardCharsets.UTF_8)).toList());
  }

  /**
   * Every message of {@code topic}, read from the start until {@code expected} arrived or 30 s
   * passed.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    Properties properties = clientProperties();
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      consumer.subscribe(List.of(topic));
      Instant deadline = Instant.now().plusSeconds(30);
      while (records.size() < expected && Instant.now().isBefore(deadline)) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      // anything beyond what was expected would be a duplicate: look a little longer
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }

  private static Properties clientProperties() {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", bootstrapServers());
    return properties;
  }
}
