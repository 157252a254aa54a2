package dev.lakerank.jobs.features;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lakerank.jobs.tables.FeatureTableColumns;
import dev.lakerank.jobs.tables.ItemProfileFeatures;
import dev.lakerank.jobs.tables.SilverItems;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows of {@code gold.item_profile_features}: each item's category and price, valid from the
 * time the catalogue says it appeared (from the beginning of time when the catalogue does not say).
 *
 * <p>Silver keeps the latest record of an item, so a changed price is valid from the item's
 * creation too; keeping every version is future work (see docs/architecture.md).
 */
public final class ItemProfile {
  private ItemProfile() {}

  /** The profile rows of {@code items} (rows of {@code silver.items}). */
  public static Dataset<Row> compute(Dataset<Row> items, Instant createdAt) {
    return items.select(
        col(SilverItems.ITEM_ID).alias(ItemProfileFeatures.ITEM_ID),
        coalesce(col(SilverItems.CREATED_TIME), lit(Timestamp.from(Instant.EPOCH)))
            .alias(FeatureTableColumns.EVENT_TIMESTAMP),
        lit(Timestamp.from(createdAt)).alias(FeatureTableColumns.CREATED_TIMESTAMP),
        col(SilverItems.CATEGORY).alias(ItemProfileFeatures.CATEGORY),
        col(SilverItems.PRICE).alias(ItemProfileFeatures.PRICE));
  }
}
