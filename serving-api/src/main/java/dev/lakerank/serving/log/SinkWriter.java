package dev.lakerank.serving.log;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's bounded buffer and the writer thread that drains it in batches into the sink, with the
 * sink's meters ({@code lakerank.log.written|failed|dropped|buffered|sink.up}, tag {@code sink})
 * and its health. Failures are logged at most once a minute, with their count since the last
 * warning, the cause and the settings to check.
 */
final class SinkWriter implements LogSink.Outcomes {
  private static final Logger LOG = LoggerFactory.getLogger(PredictionLogger.class);
  static final int BATCH = 500;
  static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

  private final LogSink sink;
  private final BlockingQueue<LogEntry> buffer;
  private final Clock clock;
  private final Counter dropped;
  private final Counter written;
  private final Counter failed;
  private final Thread thread;
  private volatile boolean running = true;

  // health: the last outcome decides; guarded by this
  private volatile boolean up;
  private String state = "connecting";
  private Instant lastWarning;
  private long failedSinceWarning;

  SinkWriter(LogSink sink, int capacity, MeterRegistry meters, Clock clock) {
    this.sink = sink;
    this.clock = clock;
    this.buffer = new ArrayBlockingQueue<>(capacity);
    Tags tags = Tags.of("sink", sink.name());
    this.dropped =
        Counter.builder("lakerank.log.dropped")
            .tags(tags)
            .description("Log entries dropped because the sink's buffer was full")
            .register(meters);
    this.written =
        Counter.builder("lakerank.log.written")
            .tags(tags)
            .description("Log entries written")
            .register(meters);
    this.failed =
        Counter.builder("lakerank.log.failed")
            .tags(tags)
            .description("Log entries the sink could not write")
            .register(meters);
    meters.gaugeCollectionSize("lakerank.log.buffered", tags, buffer);
    meters.gauge("lakerank.log.sink.up", tags, this, writer -> writer.health().up() ? 1 : 0);
    this.thread = new Thread(this::run, "prediction-log-" + sink.name());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  String name() {
    return sink.name();
  }

  /** Offers an entry; false (and counted) when the buffer is full. Never waits. */
  boolean offer(LogEntry entry) {
    if (buffer.offer(entry)) {
      return true;
    }
    dropped.increment();
    return false;
  }

  long droppedCount() {
    return (long) dropped.count();
  }

  /** The sink's state: up when its last write succeeded, else why not. */
  synchronized Health health() {
    return new Health(up, state);
  }

  /** A sink's health, as readiness shows it. */
  record Health(boolean up, String state) {}

  private void run() {
    try {
      sink.open();
      markUp();
    } catch (RuntimeException e) {
      down(e);
      LOG.warn(
          "the {} log is not connected: {}; the API serves on and keeps trying, entries wait in its buffer "
              + "(lakerank.prediction-log.buffer) and are dropped when it is full; check {}",
          sink.name(),
          describe(e),
          sink.settingsToCheck());
    }
    List<LogEntry> batch = new ArrayList<>(BATCH);
    while (running || !buffer.isEmpty()) {
      try {
        LogEntry first = buffer.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        buffer.drainTo(batch, BATCH - 1);
        try {
          sink.write(batch, this);
        } catch (RuntimeException e) {
          failed(batch.size(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  @Override
  public void written(int entries) {
    written.increment(entries);
    if (!up) {
      markUp();
    }
  }

  @Override
  public void failed(int entries, Throwable cause) {
    failed.increment(entries);
    Instant now = clock.instant();
    long count;
    synchronized (this) {
      down(cause);
      failedSinceWarning += entries;
      if (lastWarning != null && now.isBefore(lastWarning.plus(WARNING_INTERVAL))) {
        return;
      }
      lastWarning = now;
      count = failedSinceWarning;
      failedSinceWarning = 0;
    }
    LOG.warn(
        "could not write {} log entr{} to the {} sink{}: {}; check {}",
        count,
        count == 1 ? "y" : "ies",
        sink.name(),
        lastWarningNote(),
        describe(cause),
        sink.settingsToCheck());
  }

  private String lastWarningNote() {
    return " (at most one warning a minute; lakerank_log_failed_total{sink=\""
        + sink.name()
        + "\"} counts them all)";
  }

  private synchronized void down(Throwable cause) {
    up = false;
    state = "failing since " + clock.instant() + ": " + describe(cause);
  }

  private void markUp() {
    boolean recovered;
    synchronized (this) {
      recovered = state.startsWith("failing");
      up = true;
      state = "up";
    }
    if (recovered) {
      LOG.info("the {} log writes again", sink.name());
    }
  }

  /**
   * The cause's type and message, and its own cause's when there is one (a wrapped client error).
   */
  static String describe(Throwable cause) {
    String text = cause.getClass().getSimpleName() + message(cause);
    Throwable inner = cause.getCause();
    if (inner != null && inner != cause) {
      text += " (caused by " + inner.getClass().getSimpleName() + message(inner) + ")";
    }
    return text;
  }

  private static String message(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank()
        ? ""
        : ": " + message.strip().replaceAll("\\.$", "");
  }

  /** Lets the writer end once the buffer is empty. */
  void finish() {
    running = false;
  }

  /**
   * Waits until {@code deadline} for the writer to write what is buffered, then closes the sink
   * with what time is left; what is still buffered then is counted as failed.
   */
  void awaitAndClose(Instant deadline) throws InterruptedException {
    thread.join(Math.max(1, Duration.between(clock.instant(), deadline).toMillis()));
    if (thread.isAlive()) {
      thread.interrupt();
      thread.join(1000);
    }
    Duration left = Duration.between(clock.instant(), deadline);
    try {
      sink.close(left.isNegative() ? Duration.ZERO : left);
    } catch (RuntimeException e) {
      LOG.warn("closing the {} log failed: {}", sink.name(), describe(e));
    }
    int lost = buffer.size();
    if (lost > 0) {
      buffer.clear();
      failed.increment(lost);
      LOG.warn(
          "{} log entries were not written to the {} sink before the stop timeout "
              + "(lakerank.prediction-log.close-timeout)",
          lost,
          sink.name());
    }
  }
}
