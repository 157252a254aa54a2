package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code silver.users}: one row per user, upserted from the users source or derived from events.
 */
public final class SilverUsers {
  private SilverUsers() {}

  public static final TableName NAME = new TableName("silver", "users");

  public static final String USER_ID = "user_id";
  public static final String SIGNUP_TIME = "signup_time";
  public static final String COUNTRY = "country";
  public static final String AGE_BAND = "age_band";

  /**
   * {@code source} when the row came from a users file, {@code derived} when only events named the
   * user.
   */
  public static final String ORIGIN = "origin";

  public static final String UPDATED_AT = "updated_at";

  public static final List<String> SOURCE_FIELDS = List.of(USER_ID, SIGNUP_TIME, COUNTRY, AGE_BAND);

  public static final StructType SCHEMA =
      new StructType()
          .add(USER_ID, DataTypes.LongType, false)
          .add(SIGNUP_TIME, DataTypes.TimestampType, true)
          .add(COUNTRY, DataTypes.StringType, true)
          .add(AGE_BAND, DataTypes.StringType, true)
          .add(ORIGIN, DataTypes.StringType, false)
          .add(UPDATED_AT, DataTypes.TimestampType, false)
          .add(IngestMetadata.BATCH_ID, DataTypes.StringType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME, SCHEMA, Map.of(), List.of(), "Users, one row per user_id (MERGE on user_id).");
}
