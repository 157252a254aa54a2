package dev.lakerank.jobs.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.jobs.testing.BronzeRows;
import dev.lakerank.jobs.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SilverRowsTest {
  static final SparkSession spark = SharedSpark.session();

  @Test
  void typesEventsAndNormalizesKeywords() {
    Dataset<Row> bronze =
        BronzeRows.of(
            spark,
            BronzeTable.EVENTS,
            "f",
            BronzeRows.event(
                "e1",
                Map.of(
                    "event_type",
                    " Rating",
                    "rating",
                    "4.5",
                    "event_time",
                    "881250949",
                    "device",
                    "Mobile",
                    "user_id",
                    " 42 ")),
            BronzeRows.event(
                "e2", Map.of("event_time", "2026-01-15T23:30:00+02:00", "dwell_ms", "2500")));

    List<Row> rows =
        SilverRows.interactions(SilverRows.parseEvents(bronze))
            .orderBy(SilverInteractions.EVENT_ID)
            .collectAsList();

    Row rating = rows.get(0);
    assertThat(rating.<String>getAs(SilverInteractions.EVENT_TYPE)).isEqualTo("rating");
    assertThat(rating.<String>getAs(SilverInteractions.DEVICE)).isEqualTo("mobile");
    assertThat(rating.<Long>getAs(SilverInteractions.USER_ID)).isEqualTo(42L);
    assertThat(rating.<Double>getAs(SilverInteractions.RATING)).isEqualTo(4.5);
    assertThat(rating.<Timestamp>getAs(SilverInteractions.EVENT_TIME).toInstant())
        .isEqualTo(Instant.ofEpochSecond(881250949));
    Row click = rows.get(1);
    assertThat(click.<Timestamp>getAs(SilverInteractions.EVENT_TIME).toInstant())
        .isEqualTo(Instant.parse("2026-01-15T21:30:00Z"));
    assertThat(click.<java.sql.Date>getAs(SilverInteractions.EVENT_DATE).toLocalDate())
        .isEqualTo(LocalDate.of(2026, 1, 15));
    assertThat(click.<Long>getAs(SilverInteractions.DWELL_MS)).isEqualTo(2500L);
  }

  @Test
  void keepsTheFirstIngestedCopyOfAnEvent() {
    Dataset<Row> copies =
        BronzeRows.of(
                spark,
                BronzeTable.EVENTS,
                "b.jsonl",
                BronzeRows.event("e1", Map.of("device", "tablet")))
            .union(
                BronzeRows.of(
                    spark,
                    BronzeTable.EVENTS,
                    "a.jsonl",
                    BronzeRows.event("e1", Map.of("device", "desktop"))))
            .union(
                BronzeRows.of(
                    spark, BronzeTable.EVENTS, "c.jsonl", BronzeRows.event("e2", Map.of())));

    List<Row> rows =
        SilverRows.firstPerEvent(SilverRows.interactions(SilverRows.parseEvents(copies)))
            .orderBy(SilverInteractions.EVENT_ID)
            .collectAsList();

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).<String>getAs(SilverInteractions.DEVICE)).isEqualTo("desktop");
    assertThat(rows.get(0).schema().fieldNames())
        .containsExactly(SilverInteractions.SCHEMA.fieldNames());
  }

  @Test
  void keepsTheLatestRecordOfAUser() {
    Dataset<Row> early =
        BronzeRows.of(
            spark, BronzeTable.USERS, "users-1.csv", Map.of("user_id", "7", "country", "US"));
    Dataset<Row> late =
        BronzeRows.of(
                spark, BronzeTable.USERS, "users-2.csv", Map.of("user_id", "7", "country", "DE"))
            .withColumn(
                IngestMetadata.INGEST_TIME,
                lit(Timestamp.from(BronzeRows.INGESTED.plusSeconds(60))));

    List<Row> rows =
        SilverRows.latestPerKey(
                SilverRows.users(
                    ParsedFields.add(early.union(late), EventRules.USER_FIELDS), Instant.EPOCH),
                SilverUsers.USER_ID)
            .collectAsList();

    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).<String>getAs(SilverUsers.COUNTRY)).isEqualTo("DE");
    assertThat(rows.get(0).schema().fieldNames()).containsExactly(SilverUsers.SCHEMA.fieldNames());
  }

  @Test
  void flagsIdsFoundInTheDimensionTables() {
    Dataset<Row> bronze =
        BronzeRows.of(
            spark,
            BronzeTable.EVENTS,
            "f",
            BronzeRows.event("e1", Map.of("user_id", "1")),
            BronzeRows.event("e2", Map.of("user_id", "2")),
            BronzeRows.event("e3", Map.of("user_id", "not-a-number")));
    Dataset<Row> users = spark.sql("SELECT 1L AS user_id");

    List<Row> rows =
        SilverRows.withKnownFlags(
                SilverRows.parseEvents(bronze),
                java.util.Optional.of(users),
                java.util.Optional.empty())
            .orderBy(SilverInteractions.EVENT_ID)
            .select(col(EventRules.KNOWN_USER), col(EventRules.KNOWN_ITEM))
            .collectAsList();

    assertThat(rows.get(0).get(0)).isEqualTo(true);
    assertThat(rows.get(1).isNullAt(0)).isTrue();
    assertThat(rows.get(2).isNullAt(0)).isTrue();
    assertThat(rows).allMatch(r -> r.isNullAt(1));
  }
}
