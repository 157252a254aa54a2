package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ops.transform_runs}: one row per bronze table per transform run, with the bronze versions
 * it read and how every bronze row was accounted for. The latest {@code bronze_version_to} of a
 * table is where the next run starts.
 */
public final class TransformRuns {
  private TransformRuns() {}

  public static final TableName NAME = new TableName("ops", "transform_runs");

  public static final String RUN_ID = "run_id";
  public static final String SOURCE_TABLE = "source_table";

  /** Exclusive: rows committed after this version were read (-1: from the start). */
  public static final String BRONZE_VERSION_FROM = "bronze_version_from";

  /** Inclusive: rows committed up to this version were read. */
  public static final String BRONZE_VERSION_TO = "bronze_version_to";

  public static final String BRONZE_ROWS = "bronze_rows";
  public static final String SILVER_INSERTED = "silver_inserted";
  public static final String SILVER_UPDATED = "silver_updated";
  public static final String QUARANTINED = "quarantined";
  public static final String DUPLICATES = "duplicates";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";

  public static final StructType SCHEMA =
      new StructType()
          .add(RUN_ID, DataTypes.StringType, false)
          .add(SOURCE_TABLE, DataTypes.StringType, false)
          .add(BRONZE_VERSION_FROM, DataTypes.LongType, false)
          .add(BRONZE_VERSION_TO, DataTypes.LongType, false)
          .add(BRONZE_ROWS, DataTypes.LongType, false)
          .add(SILVER_INSERTED, DataTypes.LongType, false)
          .add(SILVER_UPDATED, DataTypes.LongType, false)
          .add(QUARANTINED, DataTypes.LongType, false)
          .add(DUPLICATES, DataTypes.LongType, false)
          .add(STARTED_AT, DataTypes.TimestampType, false)
          .add(FINISHED_AT, DataTypes.TimestampType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(),
          "Transform runs: bronze versions read and the reconciliation of every bronze row.");
}
