package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code quarantine.logs}: prediction-log and feedback messages that {@code stream logs} could not
 * take, with the message as it arrived, where it was, the first rule it broke and every violation.
 */
public final class LogQuarantine {
  private LogQuarantine() {}

  public static final TableName NAME = new TableName("quarantine", "logs");

  public static final StructType SCHEMA =
      StreamSource.addTo(
              new StructType().add(QuarantineTable.RAW_PAYLOAD, DataTypes.StringType, true))
          .add(QuarantineTable.RULE, DataTypes.StringType, false)
          .add(QuarantineTable.REASON, DataTypes.StringType, false)
          .add(
              QuarantineTable.VIOLATIONS,
              DataTypes.createArrayType(QuarantineTable.VIOLATION, false),
              false)
          .add(QuarantineTable.QUARANTINED_AT, DataTypes.TimestampType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(TableDefinition.APPEND_ONLY, "true"),
          List.of(),
          "Messages of the predictions and feedback topics that failed validation, as they arrived, with the rule and the reason.");
}
