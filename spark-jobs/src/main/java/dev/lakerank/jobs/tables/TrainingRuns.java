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

  public static final StructType SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType, false)
          .add("model", DataTypes.StringType, false)
          .add("version", DataTypes.IntegerType, false)
          .add("kind", DataTypes.StringType, false)
          .add("started_at", DataTypes.TimestampType, false)
          .add("finished_at", DataTypes.TimestampType, false)
          .add("params", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false)
          .add(
              "metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
          .add(
              "training_tables",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType),
              false)
          .add("window_start", DataTypes.TimestampType, true)
          .add("window_end", DataTypes.TimestampType, true)
          .add("code_version", DataTypes.StringType, false)
          .add("alias", DataTypes.StringType, true)
          .add("bundle", DataTypes.StringType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(),
          "Training runs: one row per registered model version with its params, metrics and lineage.");
}
