package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold.user_activity_features}: the offline rows of feature view {@code user_activity}, one
 * per user and daily snapshot.
 */
public final class UserActivityFeatures {
  private UserActivityFeatures() {}

  public static final TableName NAME = new TableName("gold", "user_activity_features");
  public static final String USER_ID = "user_id";

  public static final StructType SCHEMA = ActivityWindows.schema(USER_ID, true);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(USER_ID),
          "User activity over 1, 7 and 30 days before each daily snapshot (feature view user_activity).");
}
