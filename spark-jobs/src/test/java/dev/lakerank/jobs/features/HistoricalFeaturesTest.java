package dev.lakerank.jobs.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoricalFeaturesTest {
  static final SparkSession spark = SharedSpark.session();
  @TempDir static Path directory;
  static HistoricalFeatures historical;

  @BeforeAll
  static void setUp() throws IOException {
    Lakehouse lakehouse = new Lakehouse(spark, directory.resolve("lakehouse").toString());
    spark
        .sql(
            "SELECT 1L AS user_id, TIMESTAMP'2026-01-01 00:00:00' AS event_timestamp, "
                + "TIMESTAMP'2026-01-02 00:00:00' AS created_timestamp, 0.25D AS ctr_7d, 3L AS clicks_7d")
        .write()
        .format("delta")
        .save(lakehouse.location(dev.lakerank.jobs.catalog.TableName.parse("gold.user_stats")));
    Path repo = directory.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(
        repo.resolve("feature_store.yaml"), "project: test\nonline_store:\n  type: sqlite\n");
    Files.writeString(
        repo.resolve("features.yaml"),
        String.join(
            "\n",
            "entities:",
            "  - {name: user, join_key: user_id, value_type: Int64}",
            "feature_views:",
            "  - name: user_stats",
            "    entities: [user]",
            "    ttl: 2d",
            "    source: {table: gold.user_stats, timestamp_field: event_timestamp, created_timestamp_column: created_timestamp}",
            "    features:",
            "      - {name: ctr_7d, dtype: Float64}",
            "      - {name: clicks_7d, dtype: Int32}",
            "  - name: missing_table",
            "    entities: [user]",
            "    source: {table: gold.nothing_here, timestamp_field: event_timestamp}",
            "    features:",
            "      - {name: x, dtype: Int64}"));
    historical = new HistoricalFeatures(lakehouse, FeatureRepository.load(repo));
  }

  @Test
  void readsFeaturesAsOfEachRowWithinTheTtl() {
    Dataset<Row> entities =
        spark.sql(
            "SELECT * FROM VALUES (1L, TIMESTAMP'2026-01-02 12:00:00'), (1L, TIMESTAMP'2026-01-04 00:00:01'), "
                + "(2L, TIMESTAMP'2026-01-02 00:00:00') AS t(user_id, event_timestamp)");
    List<Row> rows =
        historical
            .get(entities, List.of(FeatureReference.parse("user_stats:ctr_7d")), true)
            .orderBy("user_id", "event_timestamp")
            .collectAsList();
    assertThat(rows)
        .extracting(r -> r.getAs("user_stats__ctr_7d"))
        .containsExactly(0.25, null, null);
  }

  @Test
  void namesAnUnknownFeature() {
    assertThatThrownBy(
            () ->
                historical.get(
                    entities(), List.of(FeatureReference.parse("user_stats:ctr_30d")), true))
        .isInstanceOf(LakerankException.class)
        .hasMessage(
            "feature reference `user_stats:ctr_30d`: feature view `user_stats` has no feature `ctr_30d` (it has: ctr_7d, clicks_7d)");
  }

  @Test
  void namesAMissingJoinKey() {
    Dataset<Row> noKey =
        spark.sql("SELECT TIMESTAMP'2026-01-02 00:00:00' AS event_timestamp, 1L AS uid");
    assertThatThrownBy(
            () -> historical.get(noKey, List.of(FeatureReference.parse("user_stats:ctr_7d")), true))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining(
            "entity rows have no `user_id` column, the join key of feature view `user_stats` (found: event_timestamp, uid)");
  }

  @Test
  void namesATypeMismatchAndTheDtypeToWrite() {
    assertThatThrownBy(
            () ->
                historical.get(
                    entities(), List.of(FeatureReference.parse("user_stats:clicks_7d")), true))
        .isInstanceOf(LakerankException.class)
        .hasMessage(
            "feature `user_stats:clicks_7d` is declared Int32 but gold.user_stats.clicks_7d is bigint; change its dtype to Int64 or cast the column");
  }

  @Test
  void namesAMissingSourceTable() {
    assertThatThrownBy(
            () ->
                historical.get(
                    entities(), List.of(FeatureReference.parse("missing_table:x")), true))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining(
            "feature view `missing_table` reads gold.nothing_here, which does not exist");
  }

  private static Dataset<Row> entities() {
    return spark.sql("SELECT 1L AS user_id, TIMESTAMP'2026-01-02 00:00:00' AS event_timestamp");
  }
}
