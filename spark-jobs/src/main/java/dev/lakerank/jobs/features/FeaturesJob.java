package dev.lakerank.jobs.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.tables.FeatureTableColumns;
import dev.lakerank.jobs.tables.ItemPopularityFeatures;
import dev.lakerank.jobs.tables.ItemProfileFeatures;
import dev.lakerank.jobs.tables.ItemRealtimeFeatures;
import dev.lakerank.jobs.tables.RealtimeOrigin;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.UserActivityFeatures;
import dev.lakerank.jobs.tables.UserRealtimeFeatures;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * {@code lakerank features build}: the gold feature tables, the offline side of the feature store,
 * recomputed in full from silver; of the real-time tables, the backfill before the stream's rows.
 */
public final class FeaturesJob {
  private final Lakehouse lakehouse;
  private final Clock clock;
  private final Reporter reporter;

  public FeaturesJob(Lakehouse lakehouse, Clock clock, Reporter reporter) {
    this.lakehouse = lakehouse;
    this.clock = clock;
    this.reporter = reporter;
  }

  /** Rows written, per table. */
  public Map<TableName, Long> build() {
    Instant created = clock.instant();
    Dataset<Row> interactions = lakehouse.read(SilverInteractions.NAME);
    Map<TableName, Long> rows = new LinkedHashMap<>();

    reporter.step("features: " + UserActivityFeatures.NAME);
    rows.put(
        UserActivityFeatures.NAME,
        write(
            UserActivityFeatures.DEFINITION,
            ActivityFeatures.compute(interactions, UserActivityFeatures.USER_ID, true, created)));

    reporter.step("features: " + ItemPopularityFeatures.NAME);
    rows.put(
        ItemPopularityFeatures.NAME,
        write(
            ItemPopularityFeatures.DEFINITION,
            ActivityFeatures.compute(
                interactions, ItemPopularityFeatures.ITEM_ID, false, created)));

    reporter.step("features: " + ItemProfileFeatures.NAME);
    Dataset<Row> items = lakehouse.read(SilverItems.NAME);
    rows.put(
        ItemProfileFeatures.NAME,
        write(ItemProfileFeatures.DEFINITION, ItemProfile.compute(items, created)));

    reporter.step(
        "features: "
            + UserRealtimeFeatures.NAME
            + ", "
            + ItemRealtimeFeatures.NAME
            + " (backfill)");
    Dataset<Row> history =
        RealtimeFeatures.history(RealtimeFeatures.withCategory(interactions, items), created)
            .cache();
    try {
      rows.put(
          UserRealtimeFeatures.NAME,
          backfill(UserRealtimeFeatures.DEFINITION, RealtimeFeatures.userRows(history)));
      rows.put(
          ItemRealtimeFeatures.NAME,
          backfill(ItemRealtimeFeatures.DEFINITION, RealtimeFeatures.itemRows(history)));
    } finally {
      history.unpersist();
    }
    return rows;
  }

  /**
   * Replaces the backfill rows of a real-time feature table with {@code values}, up to the first
   * row the streaming job wrote: the stream's rows are what serving was pushed, and stay.
   */
  private long backfill(TableDefinition definition, Dataset<Row> values) {
    lakehouse.createIfNotExists(definition);
    Row first =
        lakehouse
            .read(definition.name())
            .where(col(RealtimeOrigin.COLUMN).equalTo(RealtimeOrigin.STREAM))
            .agg(min(col(FeatureTableColumns.EVENT_TIMESTAMP)))
            .head();
    Dataset<Row> rows = values.withColumn(RealtimeOrigin.COLUMN, lit(RealtimeOrigin.BACKFILL));
    if (!first.isNullAt(0)) {
      rows = rows.where(col(FeatureTableColumns.EVENT_TIMESTAMP).lt(lit(first.getTimestamp(0))));
    }
    rows.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("replaceWhere", RealtimeOrigin.COLUMN + " = '" + RealtimeOrigin.BACKFILL + "'")
        .option("userMetadata", "features build")
        .save(lakehouse.location(definition.name()));
    return lakehouse.read(definition.name()).count();
  }

  private long write(TableDefinition definition, Dataset<Row> rows) {
    lakehouse.createIfNotExists(definition);
    rows.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("userMetadata", "features build")
        .save(lakehouse.location(definition.name()));
    return lakehouse.read(definition.name()).count();
  }
}
