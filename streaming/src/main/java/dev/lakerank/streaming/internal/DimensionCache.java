package dev.lakerank.streaming.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dimension tables (silver.users, silver.items) held in memory for a streaming query's
 * stream-static joins, and read again every so often.
 *
 * <p>A stream-static join plans its Delta side again on every micro-batch: resolving the snapshot
 * costs more than the rest of the batch's planning together. Cached, the batches find the table in
 * Spark's cache instead. Every {@code refresh} the cache is dropped and built again from the
 * table's latest version; a batch planned in between reads the table itself, with the same result.
 */
public final class DimensionCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DimensionCache.class);

  private final List<Dataset<Row>> tables;
  private final ScheduledExecutorService refresher;

  /** Caches {@code tables} now and again every {@code refresh}. */
  public DimensionCache(List<Dataset<Row>> tables, Duration refresh) {
    this.tables = List.copyOf(tables);
    load();
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "lakerank-dimension-refresh");
              thread.setDaemon(true);
              return thread;
            });
    refresher.scheduleWithFixedDelay(
        this::reload, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void load() {
    for (Dataset<Row> table : tables) {
      table.cache().count();
    }
  }

  private void reload() {
    try {
      for (Dataset<Row> table : tables) {
        table.unpersist(true);
        table.cache().count();
      }
    } catch (RuntimeException e) {
      // the batches read the tables themselves until the next refresh works
      LOG.warn("could not refresh the cached dimension tables: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    for (Dataset<Row> table : tables) {
      table.unpersist(false);
    }
  }
}
