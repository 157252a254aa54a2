package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ops.pipeline_steps}: each successful pipeline step with a fingerprint of its inputs, so a
 * step whose inputs did not change since its last success is skipped.
 */
public final class PipelineSteps {
  private PipelineSteps() {}

  public static final TableName NAME = new TableName("ops", "pipeline_steps");

  public static final String RUN_ID = "run_id";
  public static final String STEP = "step";
  public static final String INPUT_FINGERPRINT = "input_fingerprint";
  public static final String SUMMARY = "summary";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";

  public static final StructType SCHEMA =
      new StructType()
          .add(RUN_ID, DataTypes.StringType, false)
          .add(STEP, DataTypes.StringType, false)
          .add(INPUT_FINGERPRINT, DataTypes.StringType, false)
          .add(SUMMARY, DataTypes.StringType, false)
          .add(STARTED_AT, DataTypes.TimestampType, false)
          .add(FINISHED_AT, DataTypes.TimestampType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(),
          "Successful pipeline steps and the fingerprint of their inputs.");
}
