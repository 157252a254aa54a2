package dev.lakerank.serving.log;

import dev.lakerank.serving.config.DatabaseLogConfiguration;
import dev.lakerank.serving.config.KafkaLogConfiguration;
import dev.lakerank.serving.config.PredictionLogConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records answers and feedback off the request path, in every configured sink: the serving database
 * ({@code prediction_log}, {@code feedback}; on by default) and Kafka (topics {@code predictions},
 * {@code feedback}; on when {@code lakerank.prediction-log.kafka.bootstrap-servers} is set). A
 * request only offers its entry to each sink's bounded buffer: when a buffer is full the entry is
 * dropped for that sink and counted ({@code lakerank.log.dropped{sink}}), never waited for. Each
 * sink has its own writer thread that drains its buffer in batches, so a failing or hung database
 * never stops the Kafka log, nor the other way round. A failed write is counted ({@code
 * lakerank.log.failed{sink}}) and logged at most once a minute, and the writer goes on.
 */
@Singleton
public class PredictionLogger {
  private static final Logger LOG = LoggerFactory.getLogger(PredictionLogger.class);

  private final List<SinkWriter> writers;
  private final Duration closeTimeout;
  private final Clock clock;

  /** The configured sinks (Micronaut). */
  @Inject
  public PredictionLogger(
      PredictionLogConfiguration settings,
      DatabaseLogConfiguration database,
      KafkaLogConfiguration kafka,
      BeanProvider<PredictionLogRepository> predictions,
      BeanProvider<FeedbackRepository> feedback,
      MeterRegistry meters,
      Clock clock) {
    this(
        sinks(settings, database, kafka, predictions, feedback),
        settings.buffer(),
        settings.closeTimeout(),
        meters,
        clock);
  }

  /**
   * A log into {@code sinks}, each with a buffer of {@code capacity} entries.
   *
   * <pre>{@code
   * new PredictionLogger(List.of(new DatabaseLogSink(predictions, feedback)), 10_000, Duration.ofSeconds(10), meters, clock);
   * }</pre>
   */
  public PredictionLogger(
      List<LogSink> sinks, int capacity, Duration closeTimeout, MeterRegistry meters, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "lakerank.prediction-log.buffer is "
              + capacity
              + "; set it to at least 1 "
              + "(the default is 10000), or turn the log off with lakerank.prediction-log.enabled=false");
    }
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (closeTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "lakerank.prediction-log.close-timeout is "
              + closeTimeout
              + "; set a duration of "
              + "0s or more (default 10s)");
    }
    this.closeTimeout = closeTimeout;
    this.clock = Objects.requireNonNull(clock, "clock");
    List<SinkWriter> built = new ArrayList<>();
    for (LogSink sink : sinks) {
      built.add(new SinkWriter(sink, capacity, meters, clock));
    }
    this.writers = List.copyOf(built);
    writers.forEach(SinkWriter::start);
  }

  private static List<LogSink> sinks(
      PredictionLogConfiguration settings,
      DatabaseLogConfiguration database,
      KafkaLogConfiguration kafka,
      BeanProvider<PredictionLogRepository> predictions,
      BeanProvider<FeedbackRepository> feedback) {
    List<LogSink> sinks = new ArrayList<>();
    if (!settings.enabled()) {
      return sinks;
    }
    if (database.enabled()) {
      sinks.add(new DatabaseLogSink(predictions.get(), feedback.get()));
    }
    if (kafka.configured()) {
      KafkaLogSink.Config config = KafkaLogSink.Config.of(kafka);
      sinks.add(KafkaLogSink.of(config));
      LOG.info(
          "prediction log to Kafka at {} (topics {}, {})",
          config.bootstrapServers(),
          config.predictionsTopic(),
          config.feedbackTopic());
    }
    if (sinks.isEmpty()) {
      LOG.warn(
          "the prediction log has no sink: lakerank.prediction-log.database.enabled is false and "
              + "lakerank.prediction-log.kafka.bootstrap-servers is empty, so nothing is recorded; set one of them, or "
              + "lakerank.prediction-log.enabled=false to say so");
    }
    return sinks;
  }

  /**
   * Offers an answer for recording; returns at once, false when no sink took it (buffers full, or
   * logging off).
   */
  public boolean record(PredictionEntry entry) {
    return offer(entry);
  }

  /**
   * Offers feedback for recording; returns at once, false when no sink took it (buffers full, or
   * logging off).
   */
  public boolean record(FeedbackEntry entry) {
    return offer(entry);
  }

  private boolean offer(LogEntry entry) {
    boolean taken = false;
    for (SinkWriter writer : writers) {
      taken |= writer.offer(entry);
    }
    return taken;
  }

  /** Entries dropped since start because a sink's buffer was full, all sinks together. */
  public long droppedCount() {
    return writers.stream().mapToLong(SinkWriter::droppedCount).sum();
  }

  /**
   * Each sink's state by name ({@code database}, {@code kafka}): {@code up}, {@code connecting}, or
   * {@code failing since <instant>: <cause>}. Logging is best effort: readiness shows it and does
   * not depend on it.
   */
  public Map<String, String> sinkStates() {
    Map<String, String> states = new LinkedHashMap<>();
    for (SinkWriter writer : writers) {
      states.put(writer.name(), writer.health().state());
    }
    return states;
  }

  /**
   * Writes what is buffered and in flight, all sinks at once, within
   * lakerank.prediction-log.close-timeout.
   */
  @PreDestroy
  public void close() throws InterruptedException {
    Instant deadline = clock.instant().plus(closeTimeout);
    writers.forEach(SinkWriter::finish);
    for (SinkWriter writer : writers) {
      writer.awaitAndClose(deadline);
    }
  }
}
