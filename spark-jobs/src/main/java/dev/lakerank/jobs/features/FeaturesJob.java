package dev.lakerank.jobs.features;

import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.tables.ItemPopularityFeatures;
import dev.lakerank.jobs.tables.ItemProfileFeatures;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.UserActivityFeatures;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * {@code lakerank features build}: the gold feature tables, the offline side of the feature store,
 * recomputed in full from silver.
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
    rows.put(UserActivityFeatures.NAME, write(UserActivityFeatures.DEFINITION,
        ActivityFeatures.compute(interactions, UserActivityFeatures.USER_ID, true, created)));

    reporter.step("features: " + ItemPopularityFeatures.NAME);
    rows.put(ItemPopularityFeatures.NAME, write(ItemPopularityFeatures.DEFINITION,
        ActivityFeatures.compute(interactions, ItemPopularityFeatures.ITEM_ID, false, created)));

    reporter.step("features: " + ItemProfileFeatures.NAME);
    rows.put(ItemProfileFeatures.NAME, write(ItemProfileFeatures.DEFINITION,
        ItemProfile.compute(lakehouse.read(SilverItems.NAME), created)));
    return rows;
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
