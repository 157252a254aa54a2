package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold.item_popularity_features}: the offline rows of feature view {@code item_popularity},
 * one per item and daily snapshot.
 */
public final class ItemPopularityFeatures {
  private ItemPopularityFeatures() {}

  public static final TableName NAME = new TableName("gold", "item_popularity_features");
  public static final String ITEM_ID = "item_id";

  public static final StructType SCHEMA = ActivityWindows.schema(ITEM_ID, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(ITEM_ID),
          "Item popularity and CTR over 1, 7 and 30 days before each daily snapshot (feature view item_popularity).");
}
