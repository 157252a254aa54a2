package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold.user_realtime_features}: the offline rows of the stream feature view {@code
 * user_realtime}, appended by the streaming job with the same values it pushes online, so training
 * reads what serving saw; for the time before the stream ran, {@code features build} computes the
 * same values from silver ({@code features.RealtimeFeatures}).
 */
public final class UserRealtimeFeatures {
  private UserRealtimeFeatures() {}

  public static final TableName NAME = new TableName("gold", "user_realtime_features");
  public static final String USER_ID = "user_id";
  public static final String IMPRESSIONS_1H = "impressions_1h";
  public static final String CLICKS_1H = "clicks_1h";
  public static final String LAST_CATEGORY = "last_category";

  public static final StructType SCHEMA =
      new StructType()
          .add(USER_ID, DataTypes.LongType, false)
          .add(FeatureTableColumns.EVENT_TIMESTAMP, DataTypes.TimestampType, false)
          .add(FeatureTableColumns.CREATED_TIMESTAMP, DataTypes.TimestampType, false)
          .add(IMPRESSIONS_1H, DataTypes.LongType, true)
          .add(CLICKS_1H, DataTypes.LongType, true)
          .add(LAST_CATEGORY, DataTypes.StringType, true)
          .add(RealtimeOrigin.COLUMN, DataTypes.StringType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(),
          "Real-time user features from the event stream: impressions and clicks in the last hour, last category seen "
              + "(stream feature view user_realtime).");
}
