package dev.lakerank.jobs.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.tables.ActivityWindows;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.UserActivityFeatures;
import dev.lakerank.jobs.testing.SharedSpark;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ActivityFeaturesTest {
  static final SparkSession spark = SharedSpark.session();
  static final Instant CREATED = Instant.parse("2026-03-01T00:00:00Z");
  static Map<LocalDate, Row> snapshots;

  /**
   * User 1: on Jan 1 two impressions and a click (dwell 3 s); on Jan 5 one impression and a 4-star
   * rating.
   */
  @BeforeAll
  static void compute() {
    List<Row> events = new ArrayList<>();
    events.add(event("a", "impression", "2026-01-01T08:00:00Z", null, null));
    events.add(event("b", "impression", "2026-01-01T09:00:00Z", null, null));
    events.add(event("c", "click", "2026-01-01T09:00:10Z", 3_000L, null));
    events.add(event("d", "impression", "2026-01-05T23:59:59Z", null, null));
    events.add(event("e", "rating", "2026-01-05T12:00:00Z", null, 4.0));
    Dataset<Row> interactions = spark.createDataFrame(events, SilverInteractions.SCHEMA);
    Dataset<Row> rows =
        ActivityFeatures.compute(interactions, UserActivityFeatures.USER_ID, true, CREATED);
    assertThat(rows.schema()).isEqualTo(UserActivityFeatures.SCHEMA);
    snapshots = new TreeMap<>();
    for (Row row : rows.collectAsList()) {
      snapshots.put(row.<Timestamp>getAs("event_timestamp").toLocalDateTime().toLocalDate(), row);
    }
  }

  @Test
  void aSnapshotCountsOnlyTheDaysBeforeIt() {
    assertThat(snapshots).doesNotContainKey(LocalDate.of(2026, 1, 1));
    Row jan2 = snapshots.get(LocalDate.of(2026, 1, 2));
    assertThat(jan2.<Long>getAs(ActivityWindows.column(ActivityWindows.IMPRESSIONS, 1)))
        .isEqualTo(2L);
    assertThat(jan2.<Long>getAs(ActivityWindows.column(ActivityWindows.CLICKS, 1))).isEqualTo(1L);
    assertThat(jan2.<Double>getAs(ActivityWindows.column(ActivityWindows.CTR, 1))).isEqualTo(0.5);
    assertThat(jan2.<Double>getAs(ActivityWindows.column(ActivityWindows.DWELL_SECONDS, 1)))
        .isEqualTo(3.0);
    assertThat(jan2.<Timestamp>getAs("created_timestamp").toInstant()).isEqualTo(CREATED);
  }

  @Test
  void windowsOfOneSevenAndThirtyDays() {
    Row jan3 = snapshots.get(LocalDate.of(2026, 1, 3));
    assertThat(jan3.<Long>getAs("impressions_1d")).isZero();
    assertThat(jan3.<Double>getAs("ctr_1d")).isNull();
    assertThat(jan3.<Long>getAs("impressions_7d")).isEqualTo(2L);
    Row jan6 = snapshots.get(LocalDate.of(2026, 1, 6));
    assertThat(jan6.<Long>getAs("impressions_1d")).isEqualTo(1L);
    assertThat(jan6.<Long>getAs("impressions_7d")).isEqualTo(3L);
    assertThat(jan6.<Double>getAs("ctr_7d")).isEqualTo(1.0 / 3);
    assertThat(jan6.<Long>getAs("ratings_30d")).isEqualTo(1L);
    assertThat(jan6.<Double>getAs("avg_rating_30d")).isEqualTo(4.0);
  }

  @Test
  void snapshotsStopTheDayAfterTheLastEvent() {
    assertThat(snapshots.keySet()).last().isEqualTo(LocalDate.of(2026, 1, 6));
    assertThat(snapshots).hasSize(5);
  }

  @Test
  void anIdleUserGetsARowOfZerosWhenActivityLeavesTheWindow() {
    List<Row> events = new ArrayList<>();
    events.add(event("a", "impression", "2026-01-01T08:00:00Z", null, null));
    events.add(event2("z", 2L, "impression", "2026-03-01T08:00:00Z"));
    Dataset<Row> rows =
        ActivityFeatures.compute(
                spark.createDataFrame(events, SilverInteractions.SCHEMA),
                UserActivityFeatures.USER_ID,
                true,
                CREATED)
            .where("user_id = 1");
    Map<LocalDate, Row> byDay = new TreeMap<>();
    rows.collectAsList()
        .forEach(
            r ->
                byDay.put(
                    r.<Timestamp>getAs("event_timestamp").toLocalDateTime().toLocalDate(), r));
    assertThat(byDay).hasSize(31);
    assertThat(byDay.get(LocalDate.of(2026, 1, 31)).<Long>getAs("impressions_30d")).isEqualTo(1L);
    Row closing = byDay.get(LocalDate.of(2026, 2, 1));
    assertThat(closing.<Long>getAs("impressions_30d")).isZero();
    assertThat(closing.<Double>getAs("ctr_30d")).isNull();
  }

  private static Row event(String id, String type, String time, Long dwell, Double rating) {
    return eventOf(id, 1L, type, time, dwell, rating);
  }

  private static Row event2(String id, long user, String type, String time) {
    return eventOf(id, user, type, time, null, null);
  }

  private static Row eventOf(
      String id, long user, String type, String time, Long dwell, Double rating) {
    Instant at = Instant.parse(time);
    return RowFactory.create(
        id,
        null,
        user,
        10L,
        type,
        Timestamp.from(at),
        Date.valueOf(at.toString().substring(0, 10)),
        "mobile",
        "s",
        dwell,
        null,
        rating,
        "batch",
        Timestamp.from(at));
  }
}
