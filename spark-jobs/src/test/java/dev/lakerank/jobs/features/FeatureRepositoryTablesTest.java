package dev.lakerank.jobs.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.featurestore.definition.Feature;
import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.FeatureView;
import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.tables.TableCatalog;
import java.nio.file.Path;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The shipped feature repository describes the gold tables the jobs write, column for column. */
class FeatureRepositoryTablesTest {
  static final FeatureRepository REPOSITORY = FeatureRepository.load(Path.of("..", "feature-repo"));

  @Test
  void everyViewReadsAGoldTableWithItsKeysTimesAndTypedFeatures() {
    assertThat(REPOSITORY.featureViews()).isNotEmpty();
    for (FeatureView view : REPOSITORY.featureViews()) {
      TableDefinition table =
          TableCatalog.find(TableName.parse(view.source().table()))
              .orElseThrow(
                  () ->
                      new AssertionError(
                          view.name() + " reads unknown table " + view.source().table()));
      StructType schema = table.schema();
      for (String key : REPOSITORY.joinKeys(view)) {
        assertThat(schema.fieldNames()).as(view.name()).contains(key);
      }
      assertThat(schema.apply(view.source().timestampField()).dataType().typeName())
          .isEqualTo("timestamp");
      assertThat(schema.apply(view.source().createdTimestamp().orElseThrow()).dataType().typeName())
          .isEqualTo("timestamp");
      for (Feature feature : view.features()) {
        assertThat(schema.fieldNames()).as(view.name()).contains(feature.name());
        assertThat(schema.apply(feature.name()).dataType())
            .as(view.name() + ":" + feature.name())
            .isEqualTo(HistoricalFeatures.sparkType(feature.valueType()));
      }
    }
  }

  @Test
  void theRankerServiceNamesDailyAndRealTimeFeaturesOfFiveViews() {
    assertThat(REPOSITORY.featureService("ranker").references())
        .hasSizeBetween(20, 30)
        .extracting(FeatureReference::featureView)
        .containsOnly(
            "user_activity", "item_popularity", "item_profile", "user_realtime", "item_realtime");
  }
}
