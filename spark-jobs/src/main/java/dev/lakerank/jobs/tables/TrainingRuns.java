package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ml.training_runs}: one row per trained and registered model version, so analysts can
 * compare runs with SQL (the registry holds the same facts next to the bundles).
 */
public final class TrainingRuns {
  private TrainingRuns() {}

  public static final TableName NAME = new TableName("ml", "training_runs");

  public static final String RUN_ID = "run_id";
  public static final String MODEL = "model";
  public static final String VERSION = "version";
  public static final String KIND = "kind";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";
  public static final String PARAMS = "params";
  public static final String METRICS = "metrics";
  public static final String TRAINING_TABLES = "training_tables";
  public static final String WINDOW_START = "window_start";
  public static final String WINDOW_END = "window_end";
  public static final String CODE_VERSION = "code_version";
  public static final String ALIAS = "alias";
  public static final String BUNDLE = "bundle";

  public static final StructType SCHEMA =
      new StructType()
          .add(RUN_ID, DataTypes.StringType, false)
          .add(MODEL, DataTypes.StringType, false)
          .add(VERSION, DataTypes.IntegerType, false)
          .add(KIND, DataTypes.StringType, false)
          .add(STARTED_AT, DataTypes.TimestampType, false)
          .add(FINISHED_AT, DataTypes.TimestampType, false)
          .add(PARAMS, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false)
          .add(METRICS, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
          .add(
              "training_tables",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType),
              false)
          .add(WINDOW_START, DataTypes.TimestampType, true)
          .add(WINDOW_END, DataTypes.TimestampType, true)
          .add(CODE_VERSION, DataTypes.StringType, false)
          .add(ALIAS, DataTypes.StringType, true)
          .add(BUNDLE, DataTypes.StringType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(),
          "Training runs: one row per registered model version with its params, metrics and lineage.");
}
