package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code quarantine.<events|users|items>}: every bronze row the validation rejected, exactly as it
 * was, with the first rule it broke, a readable reason, and every violation.
 */
public final class QuarantineTable {
  private QuarantineTable() {}

  /** The first rule the row broke, for example {@code required:user_id}. */
  public static final String RULE = "rule";

  /** Why, in words, with the offending value. */
  public static final String REASON = "reason";

  /** Every rule the row broke, each with its reason. */
  public static final String VIOLATIONS = "violations";

  public static final String QUARANTINED_AT = "quarantined_at";

  /**
   * The transform run, or for a row from a stream the micro-batch ({@code stream-ingest-<query
   * id>-<batch>}).
   */
  public static final String TRANSFORM_RUN_ID = "transform_run_id";

  /**
   * The message exactly as it arrived, for rows from a stream ({@code stream ingest}); null for
   * rows from files, whose fields are kept as read (and an unreadable line in {@code
   * _corrupt_record}).
   */
  public static final String RAW_PAYLOAD = "raw_payload";

  /** The schema of one violation (nullable fields: Delta enforces no NOT NULL inside arrays). */
  public static final StructType VIOLATION =
      new StructType()
          .add(RULE, DataTypes.StringType, true)
          .add(REASON, DataTypes.StringType, true);

  /** The quarantine table that takes the rejected rows of {@code source}. */
  public static TableName name(BronzeTable source) {
    return new TableName("quarantine", source.tableName().table());
  }

  /** The definition of the quarantine table of {@code source}. */
  public static TableDefinition definition(BronzeTable source) {
    StructType schema =
        source
            .definition()
            .schema()
            .add(RULE, DataTypes.StringType, false)
            .add(REASON, DataTypes.StringType, false)
            .add(VIOLATIONS, DataTypes.createArrayType(VIOLATION, false), false)
            .add(QUARANTINED_AT, DataTypes.TimestampType, false)
            .add(TRANSFORM_RUN_ID, DataTypes.StringType, false)
            .add(RAW_PAYLOAD, DataTypes.StringType, true);
    return new TableDefinition(
        name(source),
        schema,
        Map.of(TableDefinition.APPEND_ONLY, "true"),
        List.of(),
        "Rows of " + source.tableName() + " that failed validation, with the rule and the reason.");
  }
}
