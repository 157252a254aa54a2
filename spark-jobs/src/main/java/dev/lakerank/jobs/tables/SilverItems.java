package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code silver.items}: the catalogue, one row per item, upserted from the items source or derived
 * from events.
 */
public final class SilverItems {
  private SilverItems() {}

  public static final TableName NAME = new TableName("silver", "items");

  public static final String ITEM_ID = "item_id";
  public static final String CATEGORY = "category";
  public static final String PRICE = "price";

  /** When the item entered the catalogue (or, for a changed item, when the change took effect). */
  public static final String CREATED_TIME = "created_time";

  public static final String ORIGIN = "origin";
  public static final String UPDATED_AT = "updated_at";

  public static final List<String> SOURCE_FIELDS = List.of(ITEM_ID, CATEGORY, PRICE, CREATED_TIME);

  public static final StructType SCHEMA =
      new StructType()
          .add(ITEM_ID, DataTypes.LongType, false)
          .add(CATEGORY, DataTypes.StringType, true)
          .add(PRICE, DataTypes.DoubleType, true)
          .add(CREATED_TIME, DataTypes.TimestampType, true)
          .add(ORIGIN, DataTypes.StringType, false)
          .add(UPDATED_AT, DataTypes.TimestampType, false)
          .add(IngestMetadata.BATCH_ID, DataTypes.StringType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME, SCHEMA, Map.of(), List.of(), "Items, one row per item_id (MERGE on item_id).");
}
