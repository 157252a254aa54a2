package dev.lakerank.serving.log;

import java.time.Duration;
import java.util.List;

/**
 * Where the prediction log writes: the serving database ({@link DatabaseLogSink}) or Kafka ({@link
 * KafkaLogSink}). Each sink has its own buffer and writer thread ({@link PredictionLogger}), so a
 * sink that fails or hangs never holds up another one, nor a request.
 */
public interface LogSink {
  /**
   * The sink's name, the {@code sink} tag of the {@code lakerank.log.*} meters: {@code database},
   * {@code kafka}.
   */
  String name();

  /** The settings to check when the sink fails, named in its warnings. */
  String settingsToCheck();

  /**
   * Connects and checks that the sink can take entries; called once, on the sink's writer thread,
   * before the first batch.
   *
   * @throws RuntimeException when the sink is not reachable: logged once, and the writer goes on
   */
  default void open() {}

  /**
   * Writes a batch, reporting each entry's outcome to {@code outcomes}, at once or later from
   * another thread (an asynchronous client's callback). A throw counts the whole batch as failed,
   * so a sink throws only before it reported any entry.
   */
  void write(List<LogEntry> batch, Outcomes outcomes);

  /** Finishes what is in flight within {@code timeout}, then releases the sink's resources. */
  default void close(Duration timeout) {}

  /** Where a sink reports what became of its entries; thread-safe. */
  interface Outcomes {
    /** {@code entries} were written. */
    void written(int entries);

    /** {@code entries} could not be written, because of {@code cause}. */
    void failed(int entries, Throwable cause);
  }
}
