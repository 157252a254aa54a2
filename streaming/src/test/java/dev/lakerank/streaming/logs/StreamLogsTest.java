package dev.lakerank.streaming.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.tables.FeedbackLog;
import dev.lakerank.jobs.tables.LogQuarantine;
import dev.lakerank.jobs.tables.PredictionLog;
import dev.lakerank.jobs.tables.QuarantineTable;
import dev.lakerank.jobs.tables.StreamSource;
import dev.lakerank.jobs.testing.CliRun;
import dev.lakerank.jobs.testing.SharedSpark;
import dev.lakerank.streaming.testing.KafkaHarness;
import dev.lakerank.streaming.testing.StreamFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamLogsTest {
  @TempDir Path temp;

  private static String answer(String id, String ranker, long... items) {
    String list =
        java.util.Arrays.stream(items).mapToObj(Long::toString).collect(Collectors.joining(","));
    return "{\"request_id\":\""
        + id
        + "\",\"endpoint\":\"recommendations\",\"user_id\":7,\"items\":["
        + list
        + "],"
        + "\"scores\":[0.9,null],\"recommender\":\"recommender@2\",\"ranker\":\""
        + ranker
        + "\",\"fallback\":false,"
        + "\"latency_micros\":1200,\"created_at\":\"2026-11-30T10:00:00Z\"}";
  }

  private static String feedback(String id, long item, String event) {
    return "{\"request_id\":\""
        + id
        + "\",\"item_id\":"
        + item
        + ",\"event\":\""
        + event
        + "\",\"event_value\":null,"
        + "\"received_at\":\"2026-11-30T10:00:05Z\"}";
  }

  @Test
  void takesAnswersAndFeedbackIntoDeltaJoinableOnTheRequestAndQuarantinesTheRest() {
    StreamFixture fixture = new StreamFixture(temp, 1, 1);
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(answer("r" + i, i < 4 ? "ranker@3" : "ranker@4", 11, 12));
    }
    answers.add("{\"request_id\":\"broken\"");
    answers.add(answer("no-ranker", "x", 1).replace("\"ranker\":\"x\",", ""));
    answers.add(answer("bad-items", "ranker@3", 1).replace("[1]", "\"one\""));
    KafkaHarness.sendText(fixture.predictions, answers);
    KafkaHarness.sendText(
        fixture.feedback,
        List.of(
            feedback("r0", 11, "click"),
            feedback("r1", 12, "click"),
            feedback("r4", 11, "click"),
            feedback("r4", 12, "dismiss"),
            feedback("r5", 11, "hover"),
            "not json"));

    CliRun run = fixture.cli("stream", "logs", "--available-now");
    assertThat(run.exitCode()).as(run.err()).isZero();

    assertThat(fixture.table(PredictionLog.NAME).count()).isEqualTo(6);
    Row first = fixture.table(PredictionLog.NAME).where("request_id = 'r0'").head();
    assertThat(first.<Long>getList(first.fieldIndex(PredictionLog.ITEMS)))
        .containsExactly(11L, 12L);
    assertThat(first.<Double>getList(first.fieldIndex(PredictionLog.SCORES)))
        .containsExactly(0.9, null);
    assertThat(first.<Long>getAs(PredictionLog.USER_ID)).isEqualTo(7L);
    assertThat(first.<java.sql.Timestamp>getAs(PredictionLog.CREATED_AT).toInstant())
        .isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
    assertThat(first.<String>getAs(StreamSource.TOPIC)).isEqualTo(fixture.predictions);
    assertThat(fixture.table(FeedbackLog.NAME).count()).isEqualTo(4);

    Map<String, String> rules =
        fixture.table(LogQuarantine.NAME).collectAsList().stream()
            .collect(
                Collectors.toMap(
                    r -> r.getAs(QuarantineTable.RAW_PAYLOAD), r -> r.getAs(QuarantineTable.RULE)));
    assertThat(rules)
        .containsEntry("{\"request_id\":\"broken\"", "malformed_record")
        .containsEntry(answers.get(7), "required:ranker")
        .containsEntry(answers.get(8), "type:items")
        .containsEntry(feedback("r5", 11, "hover"), "allowed:event")
        .containsEntry("not json", "malformed_record")
        .hasSize(5);

    // online click-through per ranker version: answers with a click over answers
    fixture.table(PredictionLog.NAME).createOrReplaceTempView("prediction_log");
    fixture.table(FeedbackLog.NAME).createOrReplaceTempView("feedback");
    Map<String, Double> ctr =
        SharedSpark.session()
            .sql(
                "SELECT p.ranker, CAST(avg(CASE WHEN c.request_id IS NULL THEN 0 ELSE 1 END) AS DOUBLE) AS ctr FROM prediction_log p "
                    + "LEFT JOIN (SELECT DISTINCT request_id FROM feedback WHERE event = 'click') c ON p.request_id = c.request_id "
                    + "GROUP BY p.ranker")
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getDouble(1)));
    assertThat(ctr).containsEntry("ranker@3", 0.5).containsEntry("ranker@4", 0.5);
  }
}
