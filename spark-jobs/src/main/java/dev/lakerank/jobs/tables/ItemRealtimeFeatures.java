package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold.item_realtime_features}: the offline rows of the stream feature view {@code
 * item_realtime}, the same values the streaming job pushes online (and, for the time before the
 * stream ran, the same computation over silver by {@code features build}).
 */
public final class ItemRealtimeFeatures {
  private ItemRealtimeFeatures() {}

  public static final TableName NAME = new TableName("gold", "item_realtime_features");
  public static final String ITEM_ID = "item_id";
  public static final String IMPRESSIONS_1H = "impressions_1h";
  public static final String CLICKS_1H = "clicks_1h";

  public static final StructType SCHEMA =
      new StructType()
          .add(ITEM_ID, DataTypes.LongType, false)
          .add(FeatureTableColumns.EVENT_TIMESTAMP, DataTypes.TimestampType, false)
          .add(FeatureTableColumns.CREATED_TIMESTAMP, DataTypes.TimestampType, false)
          .add(IMPRESSIONS_1H, DataTypes.LongType, true)
          .add(CLICKS_1H, DataTypes.LongType, true)
          .add(RealtimeOrigin.COLUMN, DataTypes.StringType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(),
          "Real-time item features from the event stream: impressions and clicks in the last hour "
              + "(stream feature view item_realtime).");
}
