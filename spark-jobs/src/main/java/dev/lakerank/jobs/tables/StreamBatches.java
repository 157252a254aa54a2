package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ops.stream_batches}: one row per micro-batch of a streaming query that wrote to Delta,
 * with the Kafka offsets it read and where every message went, so the counts reconcile as the batch
 * path's do: messages = rows written + rows quarantined.
 */
public final class StreamBatches {
  private StreamBatches() {}

  public static final TableName NAME = new TableName("ops", "stream_batches");

  /** ingest, features or logs. */
  public static final String QUERY = "query";

  /** The query's id, kept in its checkpoint: the same across restarts. */
  public static final String QUERY_ID = "query_id";

  public static final String BATCH_ID = "batch_id";

  /** Per topic and partition, the first and last offset read: {@code events/0=120-245, ...}. */
  public static final String OFFSETS = "offsets";

  public static final String MESSAGES = "messages";

  /** Rows written, per table. */
  public static final String WRITTEN = "written";

  public static final String QUARANTINED = "quarantined";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";

  public static final StructType SCHEMA =
      new StructType()
          .add(QUERY, DataTypes.StringType, false)
          .add(QUERY_ID, DataTypes.StringType, false)
          .add(BATCH_ID, DataTypes.LongType, false)
          .add(OFFSETS, DataTypes.StringType, false)
          .add(MESSAGES, DataTypes.LongType, false)
          .add(
              WRITTEN,
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false),
              false)
          .add(QUARANTINED, DataTypes.LongType, false)
          .add(STARTED_AT, DataTypes.TimestampType, false)
          .add(FINISHED_AT, DataTypes.TimestampType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(TableDefinition.APPEND_ONLY, "true"),
          List.of(),
          "Micro-batches of the streaming queries: offsets read, rows written per table, rows quarantined.");
}
