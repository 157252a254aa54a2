package dev.lakerank.streaming.features;

import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.features.RealtimeFeatures;
import dev.lakerank.jobs.tables.ItemRealtimeFeatures;
import dev.lakerank.jobs.tables.RealtimeOrigin;
import dev.lakerank.jobs.tables.UserRealtimeFeatures;
import dev.lakerank.streaming.StreamingErrors;
import dev.lakerank.streaming.internal.MicroBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The offline rows of the feature stream's micro-batches, on their way to Delta without holding up
 * the next push.
 *
 * <p>Before a batch's function returns (so before Spark commits the batch), its values are written
 * to a file of this outbox in the query's checkpoint ({@code
 * <checkpoint>/offline-outbox/<batch>.json}, written whole then renamed). A background thread
 * appends the files, oldest first and all that are waiting at once, at most every five seconds, to
 * {@code gold.user_realtime_features} and {@code gold.item_realtime_features} in one commit per
 * table, with Delta's {@code txnAppId}/{@code txnVersion} set to the query and the newest batch
 * appended, and only then deletes them. So a committed batch's rows always reach Delta, exactly
 * once: after a crash the files left are appended when the query starts again, and a batch Spark
 * runs again rewrites its file with the same values, which is left out of every table that already
 * holds it.
 *
 * <p>An append that fails stops the query at its next batch, with the error, rather than letting
 * the outbox grow; the files stay for the next start.
 */
final class OfflineOutbox implements AutoCloseable {
  /** Files waiting before a push waits for the appender. */
  private static final int MOST_PENDING = 200;

  /**
   * The least time between two appends: each is a Delta commit per table, whose cost is mostly
   * fixed, and it shares the machine with the stream.
   */
  private static final long APPEND_EVERY_MILLIS = 5_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Lakehouse lakehouse;
  private final Path directory;
  private final String query;
  private final FileSystem fs;
  private final Object lock = new Object();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private Thread appender;
  private volatile boolean closing;
  // the newest batch each table holds of appliedQuery; only one thread appends at a time (start,
  // the
  // appender, close after it ended)
  private String appliedQuery;
  private long userApplied = -1;
  private long itemApplied = -1;

  OfflineOutbox(Lakehouse lakehouse, String checkpoint, String query) {
    this.lakehouse = lakehouse;
    this.directory = new Path(checkpoint, "offline-outbox");
    this.query = query;
    try {
      Configuration hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
      this.fs = directory.getFileSystem(hadoop);
      fs.mkdirs(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the outbox " + directory, e);
    }
  }

  /** Appends what an earlier run left, then starts the background appender. */
  void start() {
    appendPending();
    appender = new Thread(this::run, "lakerank-features-offline");
    appender.setDaemon(true);
    appender.start();
  }

  /**
   * Writes one batch's values to the outbox; returns once the file is complete.
   *
   * @throws LakerankException when the background appender failed (the query stops with it)
   */
  void put(String queryId, long batchId, Instant created, List<RealtimeFeatures.Value> values) {
    Throwable failed = failure.get();
    if (failed != null) {
      throw StreamingErrors.unavailable(
          "appending the real-time features to Delta failed: "
              + failed.getMessage()
              + "; the rows stay in "
              + directory
              + " and are appended when the query starts again",
          failed);
    }
    ObjectNode file = JSON.createObjectNode();
    file.put("query_id", queryId);
    file.put("batch_id", batchId);
    file.put("created", created.toString());
    ArrayNode rows = file.putArray("values");
    for (RealtimeFeatures.Value value : values) {
      ObjectNode row = rows.addObject();
      row.put("kind", value.kind());
      row.put("entity", value.entity());
      row.put("event_time", value.eventTime().toString());
      row.put("impressions", value.impressions());
      row.put("clicks", value.clicks());
      row.put("last_category", value.lastCategory());
    }
    Path target = new Path(directory, String.format("%020d.json", batchId));
    Path partial = new Path(directory, "." + target.getName() + ".partial");
    try {
      try (OutputStream out = fs.create(partial, true)) {
        JSON.writeValue(out, file);
      }
      fs.delete(target, false);
      if (!fs.rename(partial, target)) {
        throw new IOException("rename of " + partial + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the outbox file " + target, e);
    }
    synchronized (lock) {
      while (pending().size() > MOST_PENDING && failure.get() == null) {
        try {
          lock.wait(1_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void run() {
    while (!closing) {
      try {
        long started = System.currentTimeMillis();
        appendPending();
        long rest = APPEND_EVERY_MILLIS - (System.currentTimeMillis() - started);
        if (rest > 0) {
          synchronized (lock) {
            lock.wait(rest);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
        return;
      } finally {
        synchronized (lock) {
          lock.notifyAll();
        }
      }
    }
  }

  /**
   * Appends every pending file of one query, in one Delta commit per table, leaving out of each
   * table the batches it already holds; returns whether there were any files.
   *
   * <p>A batch that Spark runs again after a crash rewrites its file, which may then be appended
   * together with newer batches under the newest one's version: Delta would not skip it, so the
   * versions each table already holds are looked up (once per query id) and such a batch's rows
   * left out of that table.
   */
  private boolean appendPending() {
    List<FileStatus> files = pending();
    if (files.isEmpty()) {
      return false;
    }
    List<RealtimeFeatures.Value> values = new ArrayList<>();
    List<Row> users = new ArrayList<>();
    List<Row> items = new ArrayList<>();
    List<FileStatus> taken = new ArrayList<>();
    String queryId = null;
    long newest = -1;
    for (FileStatus status : files) {
      JsonNode file = read(status.getPath());
      String id = file.get("query_id").asText();
      if (queryId != null && !queryId.equals(id)) {
        break;
      }
      if (queryId == null) {
        queryId = id;
        loadApplied(id);
      }
      taken.add(status);
      long batch = file.get("batch_id").asLong();
      newest = Math.max(newest, batch);
      Instant created = Instant.parse(file.get("created").asText());
      values.clear();
      for (JsonNode row : file.get("values")) {
        values.add(
            new RealtimeFeatures.Value(
                row.get("kind").asText(),
                row.get("entity").asLong(),
                Instant.parse(row.get("event_time").asText()),
                row.get("impressions").asLong(),
                row.get("clicks").asLong(),
                row.get("last_category").isNull() ? null : row.get("last_category").asText()));
      }
      if (batch > userApplied) {
        users.addAll(RealtimeFeatures.userRows(values, created));
      }
      if (batch > itemApplied) {
        items.addAll(RealtimeFeatures.itemRows(values, created));
      }
    }
    if (newest > userApplied) {
      append(UserRealtimeFeatures.SCHEMA, users, queryId, newest, true);
      userApplied = newest;
    }
    if (newest > itemApplied) {
      append(ItemRealtimeFeatures.SCHEMA, items, queryId, newest, false);
      itemApplied = newest;
    }
    for (FileStatus status : taken) {
      try {
        fs.delete(status.getPath(), false);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot remove the appended outbox file " + status.getPath(), e);
      }
    }
    return true;
  }

  /** The batches of query {@code queryId} each table holds, from Delta the first time. */
  private void loadApplied(String queryId) {
    if (queryId.equals(appliedQuery)) {
      return;
    }
    userApplied =
        MicroBatch.appliedVersion(lakehouse, UserRealtimeFeatures.DEFINITION, query, queryId)
            .orElse(-1);
    itemApplied =
        MicroBatch.appliedVersion(lakehouse, ItemRealtimeFeatures.DEFINITION, query, queryId)
            .orElse(-1);
    appliedQuery = queryId;
  }

  private void append(
      StructType schema, List<Row> rows, String queryId, long version, boolean user) {
    StructType withoutOrigin =
        new StructType(java.util.Arrays.copyOf(schema.fields(), schema.fields().length - 1));
    // a few thousand rows: one file, one task
    Dataset<Row> frame =
        lakehouse
            .spark()
            .createDataFrame(rows, withoutOrigin)
            .coalesce(1)
            .withColumn(RealtimeOrigin.COLUMN, lit(RealtimeOrigin.STREAM));
    MicroBatch.appendOnce(
        lakehouse,
        user ? UserRealtimeFeatures.DEFINITION : ItemRealtimeFeatures.DEFINITION,
        frame,
        query,
        queryId,
        version);
  }

  private List<FileStatus> pending() {
    try {
      List<FileStatus> files = new ArrayList<>();
      for (FileStatus status : fs.listStatus(directory)) {
        if (status.getPath().getName().endsWith(".json")
            && !status.getPath().getName().startsWith(".")) {
          files.add(status);
        }
      }
      files.sort(Comparator.comparing(s -> s.getPath().getName()));
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the outbox " + directory, e);
    }
  }

  private JsonNode read(Path file) {
    try (InputStream in = fs.open(file)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the outbox file " + file, e);
    }
  }

  /** Stops the appender after it has appended what is pending. */
  @Override
  public void close() {
    closing = true;
    if (appender != null) {
      synchronized (lock) {
        lock.notifyAll();
      }
      try {
        appender.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failure.get() == null) {
      appendPending();
    }
  }
}
