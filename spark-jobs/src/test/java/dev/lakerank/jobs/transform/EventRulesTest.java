package dev.lakerank.jobs.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.tables.QuarantineTable;
import dev.lakerank.jobs.testing.BronzeRows;
import dev.lakerank.jobs.testing.SharedSpark;
import dev.lakerank.jobs.validate.Expectation;
import dev.lakerank.jobs.validate.Validation;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of expectation sends a row that breaks it to quarantine with its rule and reason. */
class EventRulesTest {
  static final Instant NOW = Instant.parse("2026-02-01T00:00:00Z");
  static final SparkSession spark = SharedSpark.session();
  static final List<Expectation> RULES = EventRules.events(NOW, Duration.ofMinutes(5), true, true);

  static Stream<Arguments> brokenEvents() {
    return Stream.of(
        Arguments.of(
            Map.of(IngestMetadata.CORRUPT_RECORD, "{\"event_id\":"),
            "malformed_record",
            "the line could not be parsed (kept in _corrupt_record); fix the upstream writer"),
        Arguments.of(fields("event_id", null), "required:event_id", "event_id is missing"),
        Arguments.of(fields("user_id", " "), "required:user_id", "user_id is missing"),
        Arguments.of(
            fields("user_id", "u42"), "type:user_id", "user_id is `u42`, not a whole number"),
        Arguments.of(
            fields("item_id", "-5"), "range:item_id", "item_id is -5, below the minimum 1"),
        Arguments.of(
            fields("event_type", "hover"),
            "allowed:event_type",
            "event_type is `hover`, not one of impression, click, purchase, rating"),
        Arguments.of(
            fields("event_time", "yesterday"),
            "type:event_time",
            "event_time is `yesterday`, not a timestamp (ISO-8601 or epoch seconds)"),
        Arguments.of(
            fields("event_time", "2036-01-01T00:00:00Z"),
            "not_future:event_time",
            "event_time `2036-01-01T00:00:00Z` is in the future (later than 2026-02-01T00:05:00Z)"),
        Arguments.of(
            fields("device", "fridge"),
            "allowed:device",
            "device is `fridge`, not one of mobile, desktop, tablet, tv"),
        Arguments.of(
            fields("dwell_ms", "-3"), "range:dwell_ms", "dwell_ms is -3, outside [0, 86400000]"),
        Arguments.of(fields("price", "12,50"), "type:price", "price is `12,50`, not a number"),
        Arguments.of(ratingWith(null), "required:rating", "rating is missing"),
        Arguments.of(ratingWith("7"), "range:rating", "rating is 7.0, outside [0.5, 5]"),
        Arguments.of(
            fields("user_id", "404"), "known:user_id", "user_id 404 is not in silver.users"),
        Arguments.of(
            fields("item_id", "999"), "known:item_id", "item_id 999 is not in silver.items"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("brokenEvents")
  void quarantinesARowThatBreaksARuleWithItsReason(
      Map<String, String> overrides, String rule, String reason) {
    Row rejected = checkOne(BronzeRows.event("e1", overrides));

    assertThat(rejected.<String>getAs(QuarantineTable.RULE)).isEqualTo(rule);
    assertThat(rejected.<String>getAs(QuarantineTable.REASON)).isEqualTo(reason);
  }

  @Test
  void acceptsAValidEventOfEveryShape() {
    List<Map<String, String>> valid =
        List.of(
            BronzeRows.event("a", Map.of()),
            BronzeRows.event("b", fields("event_type", " Impression ", "dwell_ms", null)),
            BronzeRows.event(
                "c",
                fields(
                    "event_type",
                    "rating",
                    "rating",
                    "4.5",
                    "event_time",
                    "881250949",
                    "device",
                    null)),
            BronzeRows.event(
                "d",
                fields(
                    "event_type",
                    "purchase",
                    "price",
                    "19.99",
                    "event_time",
                    "2026-01-15 10:00:00")));
    Dataset<Row> checked = check(valid);
    assertThat(Validation.rejected(checked, RULES).count()).isZero();
    assertThat(Validation.valid(checked).count()).isEqualTo(4);
  }

  @Test
  void recordsEveryRuleARowBreaksInOrder() {
    Row rejected =
        checkOne(
            BronzeRows.event("e1", fields("user_id", "x", "item_id", "0", "event_type", "hover")));
    List<Row> violations = rejected.getList(rejected.fieldIndex(QuarantineTable.VIOLATIONS));
    assertThat(violations)
        .extracting(v -> v.getString(0))
        .containsExactly(
            "type:user_id",
            "range:item_id",
            "allowed:event_type",
            "known:user_id",
            "known:item_id");
    assertThat(rejected.<String>getAs(QuarantineTable.RULE)).isEqualTo("type:user_id");
  }

  @Test
  void skipsTheKnownEntityRulesWhenUsersAndItemsAreDerived() {
    Dataset<Row> bronze =
        BronzeRows.of(
            spark, BronzeTable.EVENTS, "f", BronzeRows.event("e1", fields("user_id", "404")));
    Dataset<Row> checked =
        Validation.check(
            SilverRows.withKnownFlags(
                SilverRows.parseEvents(bronze), Optional.empty(), Optional.empty()),
            EventRules.events(NOW, Duration.ofMinutes(5), false, false));
    assertThat(Validation.valid(checked).count()).isEqualTo(1);
  }

  private static Row checkOne(Map<String, String> event) {
    List<Row> rejected = Validation.rejected(check(List.of(event)), RULES).collectAsList();
    assertThat(rejected).hasSize(1);
    return rejected.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Dataset<Row> check(List<Map<String, String>> events) {
    Dataset<Row> bronze = BronzeRows.of(spark, BronzeTable.EVENTS, "f", events.toArray(Map[]::new));
    Dataset<Row> users = spark.sql("SELECT id AS user_id FROM range(1, 100)");
    Dataset<Row> items = spark.sql("SELECT id AS item_id FROM range(1, 100)");
    return Validation.check(
        SilverRows.withKnownFlags(
            SilverRows.parseEvents(bronze), Optional.of(users), Optional.of(items)),
        RULES);
  }

  private static Map<String, String> ratingWith(String rating) {
    return fields("event_type", "rating", "rating", rating, "dwell_ms", null);
  }

  private static Map<String, String> fields(String... keysAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
