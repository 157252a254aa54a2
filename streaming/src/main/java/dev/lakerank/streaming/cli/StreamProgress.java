package dev.lakerank.streaming.cli;

import dev.lakerank.jobs.Reporter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Shows the running queries' progress: a line per query at most every ten seconds (batch, messages,
 * rates, state size, watermark), and the totals when they stop.
 */
final class StreamProgress extends StreamingQueryListener {
  private static final Duration EVERY = Duration.ofSeconds(10);

  private final Reporter reporter;
  private final Clock clock;
  private final Map<String, Totals> totals = new ConcurrentHashMap<>();

  private static final class Totals {
    final AtomicLong batches = new AtomicLong();
    final AtomicLong messages = new AtomicLong();
    volatile Instant shown = Instant.EPOCH;
  }

  StreamProgress(Reporter reporter, Clock clock) {
    this.reporter = reporter;
    this.clock = clock;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {
    totals.putIfAbsent(name(event.name()), new Totals());
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress progress = event.progress();
    Totals query = totals.computeIfAbsent(name(progress.name()), n -> new Totals());
    query.batches.incrementAndGet();
    query.messages.addAndGet(progress.numInputRows());
    Instant now = clock.instant();
    if (progress.numInputRows() == 0 || Duration.between(query.shown, now).compareTo(EVERY) < 0) {
      return;
    }
    query.shown = now;
    long state = 0;
    for (StateOperatorProgress operator : progress.stateOperators()) {
      state += operator.numRowsTotal();
    }
    Long took = progress.durationMs().get("triggerExecution");
    String watermark = progress.eventTime().get("watermark");
    reporter.detail(
        String.format(
            "%s: batch %d, %,d messages in %,d ms (%,.0f/s in, %,.0f/s done)%s%s",
            name(progress.name()),
            progress.batchId(),
            progress.numInputRows(),
            took == null ? 0 : took,
            progress.inputRowsPerSecond(),
            progress.processedRowsPerSecond(),
            state > 0 ? String.format(", %,d state rows", state) : "",
            watermark == null || watermark.startsWith("1970") ? "" : ", watermark " + watermark));
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    if (event.exception().isDefined()) {
      reporter.detail("a query stopped with an error: " + event.exception().get());
    }
  }

  /** One line per query: batches and messages read. */
  List<String> summary() {
    List<String> lines = new ArrayList<>();
    totals.forEach(
        (name, query) ->
            lines.add(
                String.format(
                    "%s: %,d micro-batches, %,d messages",
                    name, query.batches.get(), query.messages.get())));
    lines.sort(String::compareTo);
    return lines;
  }

  private static String name(String queryName) {
    return queryName == null ? "query" : queryName.replaceFirst("^lakerank-", "stream ");
  }
}
