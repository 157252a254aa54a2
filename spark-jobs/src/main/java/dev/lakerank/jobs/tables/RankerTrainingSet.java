package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold.ranker_training_set}: one row per impression with its labels, its context and the
 * features of the {@code ranker} feature service as they were at the impression's time (point in
 * time join). Feature columns follow the fixed ones, named {@code <view>__<feature>}; the table
 * properties record the feature references and the Delta versions of the tables read.
 */
public final class RankerTrainingSet {
  private RankerTrainingSet() {}

  public static final TableName NAME = new TableName("gold", "ranker_training_set");

  public static final String IMPRESSION_ID = "impression_id";
  public static final String USER_ID = "user_id";
  public static final String ITEM_ID = "item_id";
  public static final String EVENT_TIMESTAMP = FeatureTableColumns.EVENT_TIMESTAMP;
  public static final String DEVICE = "device";
  public static final String HOUR_OF_DAY = "hour_of_day";
  public static final String DAY_OF_WEEK = "day_of_week";

  /** 1 when a click followed the impression. */
  public static final String LABEL_CLICK = "label_click";

  /** 1 when a purchase followed the impression. */
  public static final String LABEL_PURCHASE = "label_purchase";

  /** Table property listing the feature references, comma separated, in column order. */
  public static final String FEATURE_REFS_PROPERTY = "lakerank.feature_refs";

  /** Table property naming the feature service. */
  public static final String FEATURE_SERVICE_PROPERTY = "lakerank.feature_service";

  /**
   * Table property listing the input tables and their Delta versions ({@code
   * silver.interactions@12,...}).
   */
  public static final String SOURCE_VERSIONS_PROPERTY = "lakerank.source_versions";

  /** The columns before the features. */
  public static final StructType FIXED_SCHEMA =
      new StructType()
          .add(IMPRESSION_ID, DataTypes.StringType, false)
          .add(USER_ID, DataTypes.LongType, false)
          .add(ITEM_ID, DataTypes.LongType, false)
          .add(EVENT_TIMESTAMP, DataTypes.TimestampType, false)
          .add(DEVICE, DataTypes.StringType, true)
          .add(HOUR_OF_DAY, DataTypes.IntegerType, false)
          .add(DAY_OF_WEEK, DataTypes.IntegerType, false)
          .add(LABEL_CLICK, DataTypes.IntegerType, false)
          .add(LABEL_PURCHASE, DataTypes.IntegerType, false);

  /** The definition for a given full schema (fixed columns plus the service's features). */
  public static TableDefinition definition(StructType schema) {
    return new TableDefinition(
        NAME,
        schema,
        Map.of(),
        List.of(),
        "Ranker training rows: impressions, labels and point-in-time features.");
  }
}
