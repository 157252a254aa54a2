package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lakerank.serving.log.FeedbackEntry;
import dev.lakerank.serving.log.KafkaLogMessages;
import dev.lakerank.serving.log.KafkaLogSink;
import dev.lakerank.serving.log.LogEntry;
import dev.lakerank.serving.log.PredictionEntry;
import dev.lakerank.serving.log.PredictionLogger;
import dev.lakerank.serving.testing.FakeLogRepositories;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The Kafka sink with kafka-clients' own MockProducer (no broker): one message per entry on its
 * topic, keyed by the request id, outcomes counted per sink, and a failing or hung producer that
 * stops neither the database sink nor the writer. The real broker is in the tests module's
 * KafkaLogEndToEndTest.
 */
class KafkaLogSinkTest {
  private static final KafkaLogSink.Config CONFIG =
      new KafkaLogSink.Config("127.0.0.1:9092", "predictions", "feedback", Map.of());
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
  private PredictionLogger log;

  @BeforeEach
  void captureWarnings() {
    warnings.start();
    Logger logger = (Logger) LoggerFactory.getLogger(PredictionLogger.class);
    logger.addAppender(warnings);
  }

  @AfterEach
  void stop() throws InterruptedException {
    ((Logger) LoggerFactory.getLogger(PredictionLogger.class)).detachAppender(warnings);
    if (log != null) {
      log.close();
    }
  }

  private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(autoComplete, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static PredictionEntry answer(int n) {
    return new PredictionEntry(
        null,
        "r" + n,
        "recommendations",
        (long) n,
        "[100,101]",
        "[0.9,0.1]",
        "recommender@1",
        "ranker@1",
        false,
        100 + n,
        Instant.parse("2026-03-01T12:00:00Z"));
  }

  private static FeedbackEntry click(int n) {
    return new FeedbackEntry(
        null, "r" + n, 100, "click", null, Instant.parse("2026-03-01T12:00:05Z"));
  }

  private double kafka(String meter) {
    return meters.counter(meter, "sink", "kafka").count();
  }

  private double database(String meter) {
    return meters.counter(meter, "sink", "database").count();
  }

  private List<String> warnings(String containing) {
    return warnings.list.stream()
        .filter(event -> event.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .filter(message -> message.contains(containing))
        .toList();
  }

  @Test
  void sendsEachEntryAsOneMessageOnItsTopicKeyedByTheRequestId() {
    MockProducer<byte[], byte[]> producer = producer(true);
    log =
        new PredictionLogger(
            List.of(new KafkaLogSink(CONFIG, () -> producer)),
            100,
            Duration.ofSeconds(5),
            meters,
            Clock.systemUTC());
    List<LogEntry> entries = List.of(answer(1), click(1), answer(2));
    assertThat(log.record(answer(1))).isTrue();
    assertThat(log.record(click(1))).isTrue();
    assertThat(log.record(answer(2))).isTrue();

    await().atMost(Duration.ofSeconds(10)).until(() -> kafka("lakerank.log.written") == 3);
    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertThat(sent)
        .extracting(ProducerRecord::topic)
        .containsExactly("predictions", "feedback", "predictions");
    for (int i = 0; i < sent.size(); i++) {
      assertThat(new String(sent.get(i).key(), StandardCharsets.UTF_8))
          .isEqualTo(entries.get(i).requestId());
      assertThat(sent.get(i).value()).isEqualTo(KafkaLogMessages.value(entries.get(i)));
    }
    assertThat(log.sinkStates()).containsEntry("kafka", "up");
    assertThat(meters.get("lakerank.log.sink.up").tag("sink", "kafka").gauge().value())
        .isEqualTo(1);
  }

  @Test
  void aFailingProducerIsCountedAndStopsNeitherTheDatabaseSinkNorTheWriter() {
    MockProducer<byte[], byte[]> producer = producer(false);
    FakeLogRepositories database = FakeLogRepositories.working();
    log =
        new PredictionLogger(
            List.of(database.sink(), new KafkaLogSink(CONFIG, () -> producer)),
            100,
            Duration.ofSeconds(5),
            meters,
            Clock.systemUTC());
    for (int n = 0; n < 10; n++) {
      log.record(answer(n));
    }
    // the brokers answer each send with an error (in the callback, as a real producer does)
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 10);
    while (producer.errorNext(
        new TimeoutException("Expiring 1 record(s) for predictions-0: 120000 ms has passed"))) {
      // every pending send fails
    }
    assertThat(kafka("lakerank.log.failed")).isEqualTo(10);
    assertThat(log.sinkStates().get("kafka"))
        .startsWith("failing since ")
        .contains("Expiring 1 record(s)");
    assertThat(warnings("could not write 1 log entry to the kafka sink"))
        .hasSize(1)
        .allSatisfy(
            warning ->
                assertThat(warning)
                    .contains(
                        "lakerank.prediction-log.kafka.bootstrap-servers (now 127.0.0.1:9092"));

    // a send that throws at once (a closed producer) is counted too
    producer.sendException = new KafkaException("producer closed");
    log.record(click(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka("lakerank.log.failed") == 11);

    // the database had every entry, and the Kafka writer goes on once the brokers answer again
    producer.sendException = null;
    log.record(answer(11));
    // (a send that throws is not in the history)
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 11);
    assertThat(producer.completeNext()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka("lakerank.log.written") == 1);
    assertThat(log.sinkStates()).containsEntry("kafka", "up").containsEntry("database", "up");
    await().atMost(Duration.ofSeconds(10)).until(() -> database.saved().size() == 12);
    assertThat(database("lakerank.log.written")).isEqualTo(12);
    assertThat(database("lakerank.log.failed")).isZero();
  }

  @Test
  void aFailingDatabaseDoesNotStopTheKafkaSink() {
    MockProducer<byte[], byte[]> producer = producer(true);
    FakeLogRepositories database = FakeLogRepositories.working().failing();
    log =
        new PredictionLogger(
            List.of(database.sink(), new KafkaLogSink(CONFIG, () -> producer)),
            100,
            Duration.ofSeconds(5),
            meters,
            Clock.systemUTC());
    for (int n = 0; n < 20; n++) {
      if (n % 2 == 0) {
        log.record(answer(n));
      } else {
        log.record(click(n));
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> database("lakerank.log.failed") == 20);
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka("lakerank.log.written") == 20);
    assertThat(kafka("lakerank.log.failed")).isZero();
  }

  @Test
  void aHungProducerNeverHoldsUpTheDatabaseSinkNorARequest() {
    CountDownLatch released = new CountDownLatch(1);
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer()) {
          @Override
          public synchronized Future<RecordMetadata> send(
              ProducerRecord<byte[], byte[]> record, Callback callback) {
            try {
              // as a real producer waiting max.block.ms for metadata of a broker that does not
              // answer
              released.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new org.apache.kafka.common.errors.InterruptException(e);
            }
            return super.send(record, callback);
          }
        };
    FakeLogRepositories database = FakeLogRepositories.working();
    log =
        new PredictionLogger(
            List.of(database.sink(), new KafkaLogSink(CONFIG, () -> producer)),
            250,
            Duration.ofSeconds(5),
            meters,
            Clock.systemUTC());
    for (int n = 0; n < 200; n++) {
      // every offer returns at once while the Kafka writer is stuck in send
      assertThat(log.record(answer(n))).isTrue();
    }
    // the database sink writes them all meanwhile
    await().atMost(Duration.ofSeconds(10)).until(() -> database.saved().size() == 200);
    assertThat(kafka("lakerank.log.written")).isZero();
    // (how many wait in the buffer and how many in the stuck batch depends on when the writer first
    // drained)
    assertThat(kafka("lakerank.log.failed")).isZero();
    released.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka("lakerank.log.written") == 200);
    assertThat(kafka("lakerank.log.dropped") + database("lakerank.log.dropped")).isZero();
  }

  @Test
  void brokersUnreachableAtStartAreSaidOnceAndTheSinkRecoversWhenTheyAnswer() {
    MockProducer<byte[], byte[]> producer = producer(true);
    producer.partitionsForException =
        new TimeoutException("Topic predictions not present in metadata after 10000 ms.");
    log =
        new PredictionLogger(
            List.of(new KafkaLogSink(CONFIG, () -> producer)),
            100,
            Duration.ofSeconds(5),
            meters,
            Clock.systemUTC());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !warnings("the kafka log is not connected").isEmpty());
    assertThat(warnings("the kafka log is not connected"))
        .singleElement()
        .satisfies(
            warning ->
                assertThat(warning)
                    .contains(
                        "not present in metadata",
                        "the API serves on",
                        "lakerank.prediction-log.kafka.bootstrap-servers",
                        "topics predictions and feedback exist"));
    assertThat(log.sinkStates().get("kafka")).startsWith("failing since");
    assertThat(meters.get("lakerank.log.sink.up").tag("sink", "kafka").gauge().value()).isZero();

    log.record(answer(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka("lakerank.log.written") == 1);
    assertThat(log.sinkStates()).containsEntry("kafka", "up");
    assertThat(warnings("the kafka log is not connected")).hasSize(1);
  }

  @Test
  void failuresAreLoggedAtMostOnceAMinuteWithTheirCount() {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    MockProducer<byte[], byte[]> producer = producer(true);
    producer.sendException = new KafkaException("brokers down");
    log =
        new PredictionLogger(
            List.of(new KafkaLogSink(CONFIG, () -> producer)),
            100,
            Duration.ofSeconds(5),
            meters,
            clock);
    for (int n = 0; n < 5; n++) {
      log.record(answer(n));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka("lakerank.log.failed") == 5);
    clock.advance(Duration.ofSeconds(59));
    log.record(answer(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka("lakerank.log.failed") == 6);
    assertThat(warnings("could not write")).hasSize(1);
    clock.advance(Duration.ofSeconds(2));
    log.record(answer(6));
    await().atMost(Duration.ofSeconds(10)).until(() -> warnings("could not write").size() == 2);
    // the second warning counts everything since the first
    assertThat(warnings("could not write").get(1))
        .startsWith("could not write 6 log entries to the kafka sink")
        .contains("KafkaException: brokers down");
  }

  @Test
  void aStopIsBoundedInTimeWhenKafkaHangsAndCountsWhatWasNotSent() throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer()) {
          @Override
          public synchronized Future<RecordMetadata> send(
              ProducerRecord<byte[], byte[]> record, Callback callback) {
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new org.apache.kafka.common.errors.InterruptException(e);
            }
            return super.send(record, callback);
          }
        };
    PredictionLogger stuck =
        new PredictionLogger(
            List.of(new KafkaLogSink(CONFIG, () -> producer)),
            100,
            Duration.ofMillis(500),
            meters,
            Clock.systemUTC());
    for (int n = 0; n < 30; n++) {
      stuck.record(answer(n));
    }
    long start = System.nanoTime();
    stuck.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(producer.closed()).isTrue();
    // the one interrupted in send, and the ones still buffered: nothing is lost silently
    assertThat(kafka("lakerank.log.failed")).isEqualTo(30);
  }

  @Test
  void settingsAreValidatedNamingTheKeyToFix() {
    assertThatThrownBy(() -> new KafkaLogSink.Config(" ", "predictions", "feedback", Map.of()))
        .hasMessageContaining("lakerank.prediction-log.kafka.bootstrap-servers is empty");
    assertThatThrownBy(() -> new KafkaLogSink.Config("k:9092", "logs", "logs", Map.of()))
        .hasMessageContaining("predictions-topic and feedback-topic are both 'logs'");
    assertThatThrownBy(
            () -> new KafkaLogSink.Config("k:9092", "pre dictions", "feedback", Map.of()))
        .hasMessageContaining(
            "lakerank.prediction-log.kafka.predictions-topic is 'pre dictions', not a Kafka topic name");
    assertThatThrownBy(
            () ->
                new KafkaLogSink.Config(
                    "k:9092",
                    "predictions",
                    "feedback",
                    Map.of("acks", "1", "enable.idempotence", "true")))
        .hasMessageContaining("lakerank.prediction-log.kafka.properties.*")
        .hasMessageContaining("acks");
    assertThatThrownBy(
            () ->
                new KafkaLogSink.Config(
                    "k:9092", "predictions", "feedback", Map.of("value.serializer", "x")))
        .hasMessageContaining("properties.value.serializer cannot be set");
  }

  @Test
  void theProducerIsIdempotentWithAcksAllAndTakesExtraPropertiesVerbatim() {
    Properties properties =
        new KafkaLogSink.Config(
                "k1:9092,k2:9092",
                "predictions",
                "feedback",
                Map.of("security.protocol", "SASL_SSL", "linger.ms", "20"))
            .producerProperties();
    assertThat(properties)
        .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("acks", "all")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("linger.ms", "20")
        .containsEntry("key.serializer", ByteArraySerializer.class.getName());
    assertThat(new KafkaLogSink.Config("k1:9092", null, null, null).producerProperties())
        .containsEntry("linger.ms", "5");
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void advance(Duration duration) {
      now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
