package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code gold.item_profile_features}: the offline rows of feature view {@code item_profile}. */
public final class ItemProfileFeatures {
  private ItemProfileFeatures() {}

  public static final TableName NAME = new TableName("gold", "item_profile_features");
  public static final String ITEM_ID = "item_id";
  public static final String CATEGORY = "category";
  public static final String PRICE = "price";

  public static final StructType SCHEMA =
      new StructType()
          .add(ITEM_ID, DataTypes.LongType, false)
          .add(FeatureTableColumns.EVENT_TIMESTAMP, DataTypes.TimestampType, false)
          .add(FeatureTableColumns.CREATED_TIMESTAMP, DataTypes.TimestampType, false)
          .add(CATEGORY, DataTypes.StringType, true)
          .add(PRICE, DataTypes.DoubleType, true);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(),
          "Catalogue attributes of each item from the time it appeared (feature view item_profile).");
}
