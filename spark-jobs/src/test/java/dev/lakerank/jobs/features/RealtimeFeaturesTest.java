package dev.lakerank.jobs.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.tables.FeatureTableColumns;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.UserRealtimeFeatures;
import dev.lakerank.jobs.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class RealtimeFeaturesTest {
  private static final SparkSession spark = SharedSpark.session();
  private static final StructType EVENTS =
      new StructType()
          .add(SilverInteractions.EVENT_ID, DataTypes.StringType)
          .add(SilverInteractions.USER_ID, DataTypes.LongType)
          .add(SilverInteractions.ITEM_ID, DataTypes.LongType)
          .add(SilverInteractions.EVENT_TYPE, DataTypes.StringType)
          .add(SilverInteractions.EVENT_TIME, DataTypes.TimestampType)
          .add(SilverItems.CATEGORY, DataTypes.StringType);

  private static Row event(
      String id, long user, long item, String type, String time, String category) {
    return RowFactory.create(id, user, item, type, Timestamp.from(Instant.parse(time)), category);
  }

  /** user_id at event_timestamp -> [impressions_1h, clicks_1h, last_category] */
  private static Map<String, List<Object>> users(Dataset<Row> values) {
    Map<String, List<Object>> out = new TreeMap<>();
    for (Row row : RealtimeFeatures.userRows(values).collectAsList()) {
      out.put(
          row.getAs(UserRealtimeFeatures.USER_ID)
              + "@"
              + row.<Timestamp>getAs(FeatureTableColumns.EVENT_TIMESTAMP).toInstant(),
          List.of(
              row.getAs(UserRealtimeFeatures.IMPRESSIONS_1H),
              row.getAs(UserRealtimeFeatures.CLICKS_1H),
              String.valueOf(row.<String>getAs(UserRealtimeFeatures.LAST_CATEGORY))));
    }
    return out;
  }

  @Test
  void theBackfillCountsTheHourUpToEachEventToTheFiveMinuteStep() {
    Dataset<Row> events =
        spark.createDataFrame(
            List.of(
                // 09:05 to 10:05 is the hour of an event at 10:00:30 (windows end every 5 minutes)
                event("old", 1, 1, "impression", "2026-03-01T09:04:59Z", "books"),
                event("edge", 1, 1, "impression", "2026-03-01T09:05:00Z", "books"),
                event("a", 1, 2, "click", "2026-03-01T09:30:00Z", "music"),
                event("b", 1, 3, "impression", "2026-03-01T10:00:30Z", "toys"),
                // two events at the same time: both count, the greatest category is the last
                event("c", 1, 4, "impression", "2026-03-01T10:04:59Z", "art"),
                event("d", 1, 5, "click", "2026-03-01T10:04:59Z", "zoo"),
                // its hour starts at 09:10: "old" and "edge" fall out, itself counts
                event("e", 1, 6, "impression", "2026-03-01T10:05:00Z", null),
                event("other", 2, 1, "impression", "2026-03-01T10:00:00Z", "books")),
            EVENTS);

    Map<String, List<Object>> values = users(RealtimeFeatures.history(events, Instant.EPOCH));

    assertThat(values)
        .containsEntry("1@2026-03-01T09:04:59Z", List.of(1L, 0L, "books"))
        .containsEntry("1@2026-03-01T09:05:00Z", List.of(2L, 0L, "books"))
        .containsEntry("1@2026-03-01T09:30:00Z", List.of(2L, 1L, "music"))
        .containsEntry("1@2026-03-01T10:00:30Z", List.of(2L, 1L, "toys"))
        .containsEntry("1@2026-03-01T10:04:59Z", List.of(3L, 2L, "zoo"))
        .containsEntry("1@2026-03-01T10:05:00Z", List.of(3L, 2L, "null"))
        .containsEntry("2@2026-03-01T10:00:00Z", List.of(1L, 0L, "books"))
        .hasSize(7);
  }

  @Test
  void theStreamsWindowsGiveTheBackfillsValueAtTheLatestEvent() {
    List<Row> rows = new ArrayList<>();
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    for (int i = 0; i < 400; i++) {
      long user = 1 + random.nextInt(6);
      Instant time = Instant.parse("2026-03-01T08:00:00Z").plusSeconds(random.nextInt(4 * 3600));
      rows.add(
          RowFactory.create(
              "e" + i,
              user,
              1L + random.nextInt(9),
              random.nextInt(4) == 0 ? "click" : "impression",
              Timestamp.from(time),
              "c" + random.nextInt(3)));
    }
    Dataset<Row> events = spark.createDataFrame(rows, EVENTS);

    Map<String, List<Object>> history = users(RealtimeFeatures.history(events, Instant.EPOCH));
    // one micro-batch of everything: the windows Spark's state would hold, reduced as the stream
    // reduces them
    List<RealtimeFeatures.Value> current =
        RealtimeFeatures.current(
            RealtimeFeatures.candidates(RealtimeFeatures.windowed(events)).collectAsList());

    assertThat(current.stream().filter(v -> v.kind().equals(RealtimeFeatures.USER)).count())
        .isEqualTo(6);
    for (RealtimeFeatures.Value value : current) {
      if (value.kind().equals(RealtimeFeatures.USER)) {
        assertThat(history.get(value.entity() + "@" + value.eventTime()))
            .as("user %d", value.entity())
            .isEqualTo(
                List.of(value.impressions(), value.clicks(), String.valueOf(value.lastCategory())));
      }
    }
    assertThat(current.stream().filter(v -> v.kind().equals(RealtimeFeatures.ITEM)).count())
        .isEqualTo(9);
  }
}
