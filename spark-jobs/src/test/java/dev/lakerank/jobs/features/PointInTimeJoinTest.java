package dev.lakerank.jobs.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PointInTimeJoinTest {
  static final SparkSession spark = SharedSpark.session();
  static final Instant T = Instant.parse("2026-01-10T12:00:00Z");
  static final StructType ENTITY =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("user_id", DataTypes.LongType)
          .add("ts", DataTypes.TimestampType);
  static final StructType FEATURE =
      new StructType()
          .add("user_id", DataTypes.LongType)
          .add("event_timestamp", DataTypes.TimestampType)
          .add("created", DataTypes.TimestampType)
          .add("value", DataTypes.StringType);

  @Test
  void neverReadsTheFuture() {
    Dataset<Row> features =
        features(
            row(1, T.minusSeconds(86_400), T, "yesterday"),
            row(1, T.plusMillis(1), T, "a moment later"));
    assertThat(valueAt(features, 1, T, Duration.ZERO)).isEqualTo("yesterday");
  }

  @Test
  void readsARowOfExactlyTheEntityTime() {
    Dataset<Row> features = features(row(1, T.minusSeconds(60), T, "earlier"), row(1, T, T, "now"));
    assertThat(valueAt(features, 1, T, Duration.ZERO)).isEqualTo("now");
  }

  @Test
  void theTtlLowerBoundIsInclusive() {
    Duration ttl = Duration.ofHours(1);
    assertThat(valueAt(features(row(1, T.minus(ttl), T, "on the bound")), 1, T, ttl))
        .isEqualTo("on the bound");
    assertThat(
            valueAt(features(row(1, T.minus(ttl).minusNanos(1_000), T, "just outside")), 1, T, ttl))
        .isNull();
  }

  @Test
  void aZeroTtlMeansNoLowerBound() {
    assertThat(
            valueAt(
                features(row(1, Instant.parse("2000-01-01T00:00:00Z"), T, "ancient")),
                1,
                T,
                Duration.ZERO))
        .isEqualTo("ancient");
  }

  @Test
  void breaksTiesByTheLatestCreatedTimestamp() {
    Instant when = T.minusSeconds(600);
    Dataset<Row> features =
        features(
            row(1, when, T.minusSeconds(5), "first computed"),
            row(1, when, T.minusSeconds(1), "recomputed"),
            row(1, when, T.minusSeconds(3), "in between"));
    assertThat(valueAt(features, 1, T, Duration.ZERO)).isEqualTo("recomputed");
  }

  @Test
  void givesNullWhenNoRowQualifies() {
    Dataset<Row> features =
        features(
            row(2, T.minusSeconds(60), T, "another user"), row(1, T.plusSeconds(60), T, "future"));
    assertThat(valueAt(features, 1, T, Duration.ZERO)).isNull();
  }

  @Test
  void keepsEveryEntityRowEvenRepeatedOnes() {
    Dataset<Row> entities =
        spark.createDataFrame(
            List.of(
                entity("a", 1L, T), entity("b", 1L, T), entity("c", 3L, T), entity("d", null, T)),
            ENTITY);
    Dataset<Row> joined =
        join(entities, features(row(1, T.minusSeconds(1), T, "x")), Duration.ZERO);
    List<Row> rows = joined.collectAsList();
    assertThat(rows).hasSize(4);
    Map<String, String> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.getString(0), r.getString(3)));
    assertThat(byId)
        .hasSize(4)
        .containsEntry("a", "x")
        .containsEntry("b", "x")
        .containsEntry("c", null)
        .containsEntry("d", null);
  }

  @Test
  void agreesWithABruteForceSearchOnRandomData() {
    Random random = new Random(11);
    List<Row> featureRows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      Instant at = T.plusSeconds(random.nextInt(20) * 3_600L - 10 * 3_600L);
      // distinct created times: with equal event and created times Feast's choice is arbitrary
      Instant created = T.plusSeconds(random.nextInt(1_000_000) * 1_000L + i);
      featureRows.add(row(1 + random.nextInt(6), at, created, "v" + i));
    }
    List<Row> entityRows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      entityRows.add(
          entity(
              "e" + i,
              (long) (1 + random.nextInt(7)),
              T.plusSeconds(random.nextInt(24) * 3_600L - 12 * 3_600L)));
    }
    Duration ttl = Duration.ofHours(3);

    Dataset<Row> joined =
        join(
            spark.createDataFrame(entityRows, ENTITY),
            spark.createDataFrame(featureRows, FEATURE),
            ttl);

    List<Row> rows = joined.collectAsList();
    assertThat(rows).hasSize(entityRows.size());
    Map<String, String> actual = new HashMap<>();
    rows.forEach(r -> actual.put(r.getString(0), r.getString(3)));
    Map<String, String> expected = new HashMap<>();
    for (Row entity : entityRows) {
      expected.put(
          entity.getString(0),
          bruteForce(featureRows, entity.getLong(1), entity.getTimestamp(2).toInstant(), ttl));
    }
    assertThat(actual).isEqualTo(expected);
  }

  /**
   * Feast's rule, written out: the greatest event time in [t - ttl, t], then the greatest created
   * time.
   */
  private static String bruteForce(List<Row> rows, long user, Instant t, Duration ttl) {
    Row best = null;
    for (Row row : rows) {
      Instant at = row.getTimestamp(1).toInstant();
      if (row.getLong(0) != user || at.isAfter(t) || at.isBefore(t.minus(ttl))) {
        continue;
      }
      if (best == null
          || at.isAfter(best.getTimestamp(1).toInstant())
          || (at.equals(best.getTimestamp(1).toInstant())
              && row.getTimestamp(2).after(best.getTimestamp(2)))) {
        best = row;
      }
    }
    return best == null ? null : best.getString(3);
  }

  private static String valueAt(Dataset<Row> features, long user, Instant t, Duration ttl) {
    Dataset<Row> entities = spark.createDataFrame(List.of(entity("only", user, t)), ENTITY);
    List<Row> rows = join(entities, features, ttl).collectAsList();
    assertThat(rows).hasSize(1);
    return rows.get(0).getString(3);
  }

  private static Dataset<Row> join(Dataset<Row> entities, Dataset<Row> features, Duration ttl) {
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("value", "user_view__value");
    PointInTimeJoin.ViewRequest view =
        new PointInTimeJoin.ViewRequest(
            features, List.of("user_id"), "event_timestamp", Optional.of("created"), ttl, outputs);
    return PointInTimeJoin.join(entities, "ts", List.of(view))
        .select("id", "user_id", "ts", "user_view__value");
  }

  private static Dataset<Row> features(Row... rows) {
    return spark.createDataFrame(List.of(rows), FEATURE);
  }

  private static Row row(long user, Instant at, Instant created, String value) {
    return RowFactory.create(user, Timestamp.from(at), Timestamp.from(created), value);
  }

  private static Row entity(String id, Long user, Instant at) {
    return RowFactory.create(id, user, Timestamp.from(at));
  }
}
