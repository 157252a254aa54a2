package dev.lakerank.serving.log;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records answers and feedback off the request path. A request only offers its entry to a bounded
 * buffer: when the buffer is full the entry is dropped and counted ({@code
 * lakerank.log.dropped}), never waited for. One writer thread drains the buffer in batches into
 * the serving database; a failed batch is counted ({@code lakerank.log.failed}) and logged, and
 * the writer goes on.
 */
@Singleton
public class PredictionLogger {
  private static final Logger LOG = LoggerFactory.getLogger(PredictionLogger.class);
  private static final int BATCH = 500;

  private final BlockingQueue<Object> buffer;
  private final PredictionLogRepository predictions;
  private final FeedbackRepository feedback;
  private final boolean enabled;
  private final Counter dropped;
  private final Counter written;
  private final Counter failed;
  private final Thread writer;
  private volatile boolean running = true;

  public PredictionLogger(PredictionLogRepository predictions, FeedbackRepository feedback, MeterRegistry meters,
      @Value("${lakerank.prediction-log.enabled:true}") boolean enabled,
      @Value("${lakerank.prediction-log.buffer:10000}") int capacity) {
    this.predictions = predictions;
    this.feedback = feedback;
    this.enabled = enabled;
    this.buffer = new ArrayBlockingQueue<>(Math.max(1, capacity));
    this.dropped = meters.counter("lakerank.log.dropped");
    this.written = meters.counter("lakerank.log.written");
    this.failed = meters.counter("lakerank.log.failed");
    meters.gaugeCollectionSize("lakerank.log.buffered", List.of(), buffer);
    writer = new Thread(this::drain, "prediction-log-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Offers an answer for recording; returns at once, false when it was dropped (or logging is off). */
  public boolean record(PredictionEntry entry) {
    return offer(entry);
  }

  /** Offers feedback for recording; returns at once, false when it was dropped (or logging is off). */
  public boolean record(FeedbackEntry entry) {
    return offer(entry);
  }

  private boolean offer(Object entry) {
    if (!enabled) {
      return false;
    }
    if (buffer.offer(entry)) {
      return true;
    }
    dropped.increment();
    return false;
  }

  /** Entries dropped since start because the buffer was full. */
  public long droppedCount() {
    return (long) dropped.count();
  }

  private void drain() {
    List<Object> batch = new ArrayList<>(BATCH);
    while (running || !buffer.isEmpty()) {
      try {
        Object first = buffer.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        buffer.drainTo(batch, BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<Object> batch) {
    List<PredictionEntry> answers = new ArrayList<>();
    List<FeedbackEntry> events = new ArrayList<>();
    for (Object entry : batch) {
      if (entry instanceof PredictionEntry) {
        answers.add((PredictionEntry) entry);
      } else {
        events.add((FeedbackEntry) entry);
      }
    }
    try {
      if (!answers.isEmpty()) {
        predictions.saveAll(answers);
      }
      if (!events.isEmpty()) {
        feedback.saveAll(events);
      }
      written.increment(batch.size());
    } catch (RuntimeException e) {
      failed.increment(batch.size());
      LOG.warn("could not record {} log entries: {}", batch.size(), e.getMessage());
    }
  }

  /** Writes what is buffered (up to 10 s) before the database closes. */
  @PreDestroy
  void close() throws InterruptedException {
    running = false;
    writer.join(TimeUnit.SECONDS.toMillis(10));
  }
}
