package dev.lakerank.streaming.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.tables.StreamBatches;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import scala.Option;

/**
 * One micro-batch of a query, as its {@code foreachBatch} function sees it, and the writes that
 * make it exactly once: every Delta append carries the query's id and the batch id as Delta's
 * {@code txnAppId}/{@code txnVersion}, so a batch that Spark runs again after a crash (it was
 * planned, perhaps partly written, but not committed to the checkpoint) writes nothing twice. The
 * query id lives in the checkpoint, so it is the same across restarts and new when the checkpoint
 * is new.
 */
public final class MicroBatch {
  /** The local property Spark's stream execution sets to the query's id. */
  private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

  private final String query;
  private final String queryId;
  private final long batchId;
  private final Instant started;

  private MicroBatch(String query, String queryId, long batchId, Instant started) {
    this.query = query;
    this.queryId = queryId;
    this.batchId = batchId;
    this.started = started;
  }

  /** The batch {@code batchId} of the query named {@code query} running on this thread. */
  public static MicroBatch of(SparkSession spark, String query, long batchId, Instant started) {
    String id = spark.sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
    if (id == null) {
      throw new IllegalStateException(
          "no streaming query runs on this thread (" + QUERY_ID_PROPERTY + " is not set)");
    }
    return new MicroBatch(query, id, batchId, started);
  }

  public String query() {
    return query;
  }

  public String queryId() {
    return queryId;
  }

  public long batchId() {
    return batchId;
  }

  public Instant started() {
    return started;
  }

  /**
   * {@code stream-<query>-<query id>-<batch id>}: what the rows of this batch record as their
   * batch.
   */
  public String label() {
    return "stream-" + query + "-" + queryId + "-" + batchId;
  }

  /**
   * Appends {@code rows} to the table of {@code definition} once: a second append of the same batch
   * (after a crash) is skipped by Delta. New nullable columns of the definition are added to an
   * older table.
   */
  public void append(Lakehouse lakehouse, TableDefinition definition, Dataset<Row> rows) {
    appendOnce(lakehouse, definition, rows, query, queryId, batchId);
  }

  /**
   * Appends {@code rows} as batch {@code version} of the query {@code queryId}: skipped by Delta
   * when the table already holds that version or a later one of the same query.
   */
  public static void appendOnce(
      Lakehouse lakehouse,
      TableDefinition definition,
      Dataset<Row> rows,
      String query,
      String queryId,
      long version) {
    rows.write()
        .format("delta")
        .mode(SaveMode.Append)
        .option("txnAppId", appId(query, queryId))
        .option("txnVersion", version)
        .option("mergeSchema", "true")
        .option("userMetadata", "stream-" + query + "-" + queryId + "-" + version)
        .save(lakehouse.location(definition.name()));
  }

  /**
   * The newest version of the query {@code queryId} that the table of {@code definition} holds
   * (Delta's {@code txnVersion} of the last {@link #appendOnce} that committed), or empty when it
   * holds none or the table does not exist yet.
   */
  public static OptionalLong appliedVersion(
      Lakehouse lakehouse, TableDefinition definition, String query, String queryId) {
    DeltaLog log = DeltaLog.forTable(lakehouse.spark(), lakehouse.location(definition.name()));
    if (!log.tableExists()) {
      return OptionalLong.empty();
    }
    Option<Object> version =
        log.update(false, Option.empty(), Option.empty()).transactions().get(appId(query, queryId));
    return version.isDefined() ? OptionalLong.of((Long) version.get()) : OptionalLong.empty();
  }

  private static String appId(String query, String queryId) {
    return "lakerank-" + query + "-" + queryId;
  }

  /**
   * Per topic and partition, the first and last offset of {@code kafkaRows} (Kafka's {@code topic},
   * {@code partition}, {@code offset} columns): {@code events/0=120-245,events/1=98-230}.
   */
  public static String offsets(
      Dataset<Row> kafkaRows, String topic, String partition, String offset) {
    List<String> ranges = new ArrayList<>();
    for (Row row :
        kafkaRows
            .groupBy(col(topic), col(partition))
            .agg(min(col(offset)), max(col(offset)))
            .orderBy(col(topic), col(partition))
            .collectAsList()) {
      ranges.add(row.get(0) + "/" + row.get(1) + "=" + row.get(2) + "-" + row.get(3));
    }
    return String.join(",", ranges);
  }

  /** Records this batch in {@code ops.stream_batches}, once. */
  public void record(
      Lakehouse lakehouse,
      String offsets,
      long messages,
      Map<String, Long> written,
      long quarantined,
      Instant finished) {
    Row row =
        RowFactory.create(
            query,
            queryId,
            batchId,
            offsets,
            messages,
            scala.jdk.javaapi.CollectionConverters.asScala(written),
            quarantined,
            Timestamp.from(started),
            Timestamp.from(finished));
    append(
        lakehouse,
        StreamBatches.DEFINITION,
        lakehouse.spark().createDataFrame(List.of(row), StreamBatches.SCHEMA));
  }
}
