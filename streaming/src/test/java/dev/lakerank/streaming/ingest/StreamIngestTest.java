package dev.lakerank.streaming.ingest;

import static dev.lakerank.streaming.testing.StreamFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakerank.jobs.config.LakerankConfig;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.tables.QuarantineTable;
import dev.lakerank.jobs.tables.StreamBatches;
import dev.lakerank.jobs.testing.CliRun;
import dev.lakerank.streaming.testing.KafkaHarness;
import dev.lakerank.streaming.testing.StreamFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamIngestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  /** Bad messages, each with the rule it must be quarantined by. */
  private static Map<String, String> badMessages(Instant now) {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("this is not json", "malformed_record");
    bad.put("{\"event_id\":\"cut\",\"user_id\":1,\"item_id\"", "malformed_record");
    bad.put("[1,2,3]", "malformed_record");
    bad.put("", "malformed_record");
    bad.put(event("no-user", 1, 1, "click", now).replace("\"user_id\":1,", ""), "required:user_id");
    bad.put(
        event("no-id", 1, 1, "click", now).replace("\"event_id\":\"no-id\",", ""),
        "required:event_id");
    bad.put(
        event("text-user", 1, 1, "click", now).replace("\"user_id\":1", "\"user_id\":\"u42\""),
        "type:user_id");
    bad.put(event("negative-item", 1, -3, "click", now), "range:item_id");
    bad.put(event("hover", 1, 1, "hover", now), "allowed:event_type");
    bad.put(
        event("bad-time", 1, 1, "click", now).replace(now.toString(), "yesterday evening"),
        "type:event_time");
    bad.put(event("future", 1, 1, "click", now.plus(1, ChronoUnit.DAYS)), "not_future:event_time");
    bad.put(event("fridge", 1, 1, "click", now).replace("mobile", "fridge"), "allowed:device");
    bad.put(event("rating-7", 1, 1, "rating", now).replace("}", ",\"rating\":7}"), "range:rating");
    bad.put(event("unknown-item", 1, 9999, "click", now), "known:item_id");
    bad.put(event("unknown-user", 8888, 1, "click", now), "known:user_id");
    return bad;
  }

  @Test
  void quarantinesEachKindOfBadMessageWithItsReasonWhileGoodOnesKeepFlowing() throws Exception {
    StreamFixture fixture = new StreamFixture(temp, 20, 20);
    LakerankConfig config = fixture.config();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Map<String, String> bad = badMessages(now);
    List<String> before = goodEvents("before", 10, now);
    List<String> after = goodEvents("after", 10, now);

    StreamingQuery query =
        new StreamIngest(
                fixture.lakehouse,
                config.stream(),
                config.transformFutureTolerance(),
                Clock.systemUTC())
            .start(false);
    try {
      KafkaHarness.sendText(fixture.events, before);
      await().atMost(Duration.ofSeconds(90)).until(() -> bronzeIds(fixture).size() == 10);
      KafkaHarness.sendText(fixture.events, new ArrayList<>(bad.keySet()));
      KafkaHarness.send(
          fixture.events, null, List.of(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}));
      // a message with no value at all (a tombstone)
      KafkaHarness.send(fixture.events, "k", java.util.Collections.singletonList(null));
      KafkaHarness.sendText(fixture.events, after);
      // the stream went on past the bad messages
      await().atMost(Duration.ofSeconds(90)).until(() -> bronzeIds(fixture).size() == 20);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fixture.table(QuarantineTable.name(BronzeTable.EVENTS)).count()
                      == bad.size() + 2);
      // the batch is recorded last
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fixture.table(StreamBatches.NAME).selectExpr("sum(messages)").head().getLong(0)
                      == 20 + bad.size() + 2);
      assertThat(query.isActive()).isTrue();
    } finally {
      query.stop();
    }

    assertThat(bronzeIds(fixture))
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.Stream.concat(ids(before).stream(), ids(after).stream()).toList());
    Map<String, String> rules = new LinkedHashMap<>();
    List<Row> quarantined = fixture.table(QuarantineTable.name(BronzeTable.EVENTS)).collectAsList();
    for (Row row : quarantined) {
      rules.put(
          row.getAs(QuarantineTable.RAW_PAYLOAD) == null
              ? "<none>"
              : row.getAs(QuarantineTable.RAW_PAYLOAD),
          row.getAs(QuarantineTable.RULE));
      assertThat(row.<String>getAs(QuarantineTable.REASON)).isNotBlank();
      assertThat(row.<String>getAs(IngestMetadata.SOURCE_FILE))
          .startsWith("kafka://" + fixture.events + "/");
      assertThat(row.<String>getAs(QuarantineTable.TRANSFORM_RUN_ID)).startsWith("stream-ingest-");
    }
    assertThat(rules).containsAllEntriesOf(bad);
    // the binary message and the tombstone: unreadable, kept as received
    assertThat(quarantined)
        .filteredOn(r -> !bad.containsKey(r.<String>getAs(QuarantineTable.RAW_PAYLOAD)))
        .hasSize(2)
        .allMatch(r -> r.getAs(QuarantineTable.RULE).equals("malformed_record"));
    assertThat(reason(quarantined, bad, "future")).contains("in the future");
    assertThat(reason(quarantined, bad, "unknown-item"))
        .isEqualTo("item_id 9999 is not in silver.items");

    List<ConsumerRecord<byte[], byte[]>> dead =
        KafkaHarness.readAll(fixture.deadLetters, bad.size() + 2);
    assertThat(dead).hasSize(bad.size() + 2);
    Map<String, String> deadRules = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : dead) {
      JsonNode letter = JSON.readTree(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8))
          .isEqualTo(letter.get("source").asText());
      if (letter.hasNonNull("payload")) {
        deadRules.put(letter.get("payload").asText(), letter.get("rule").asText());
      }
      assertThat(letter.get("violations").isArray()).isTrue();
    }
    assertThat(deadRules).containsAllEntriesOf(bad);

    // every message is accounted for, batch by batch
    Row totals =
        fixture
            .table(StreamBatches.NAME)
            .selectExpr("sum(messages)", "sum(quarantined)", "sum(written['bronze.events'])")
            .head();
    assertThat(totals.getLong(0)).isEqualTo(20 + bad.size() + 2);
    assertThat(totals.getLong(1)).isEqualTo(bad.size() + 2);
    assertThat(totals.getLong(2)).isEqualTo(20);
  }

  @Test
  void resumesFromItsCheckpointWritingNothingTwice() {
    StreamFixture fixture = new StreamFixture(temp, 20, 20);
    Instant now = Instant.now();
    List<String> first = goodEvents("first", 30, now);
    List<String> second = goodEvents("second", 25, now);

    KafkaHarness.sendText(fixture.events, first);
    CliRun run = fixture.cli("stream", "ingest", "--available-now");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("stream ingest: ").contains("30 messages");
    KafkaHarness.sendText(fixture.events, second);
    CliRun again = fixture.cli("stream", "ingest", "--available-now");
    assertThat(again.exitCode()).as(again.err()).isZero();
    CliRun idle = fixture.cli("stream", "ingest", "--available-now");
    assertThat(idle.exitCode()).as(idle.err()).isZero();

    List<String> expected = new ArrayList<>(ids(first));
    expected.addAll(ids(second));
    assertThat(bronzeIds(fixture)).containsExactlyInAnyOrderElementsOf(expected);
    List<Row> sources =
        fixture
            .table(BronzeTable.EVENTS.tableName())
            .groupBy(IngestMetadata.SOURCE_FILE)
            .count()
            .where("count > 1")
            .collectAsList();
    assertThat(sources).isEmpty();
  }

  private static String reason(List<Row> quarantined, Map<String, String> bad, String id) {
    String payload =
        bad.keySet().stream().filter(m -> m.contains("\"" + id + "\"")).findFirst().orElseThrow();
    return quarantined.stream()
        .filter(r -> payload.equals(r.getAs(QuarantineTable.RAW_PAYLOAD)))
        .findFirst()
        .orElseThrow()
        .getAs(QuarantineTable.REASON);
  }

  private static List<String> goodEvents(String prefix, int n, Instant now) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                event(
                    prefix + "-" + i,
                    1 + i % 20,
                    1 + i % 20,
                    i % 3 == 0 ? "click" : "impression",
                    now))
        .toList();
  }

  private static List<String> ids(List<String> events) {
    return events.stream()
        .map(e -> e.substring(e.indexOf(":\"") + 2, e.indexOf("\",")))
        .collect(Collectors.toList());
  }

  private static List<String> bronzeIds(StreamFixture fixture) {
    if (!fixture.lakehouse.exists(BronzeTable.EVENTS.tableName())) {
      return List.of();
    }
    return fixture.table(BronzeTable.EVENTS.tableName()).select("event_id").collectAsList().stream()
        .map(r -> r.getString(0))
        .toList();
  }
}
