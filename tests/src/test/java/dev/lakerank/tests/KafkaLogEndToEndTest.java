package dev.lakerank.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakerank.jobs.tables.FeedbackLog;
import dev.lakerank.jobs.tables.LogQuarantine;
import dev.lakerank.jobs.tables.PredictionLog;
import dev.lakerank.jobs.testing.CliRun;
import dev.lakerank.jobs.testing.SharedSpark;
import dev.lakerank.serving.testing.Api;
import dev.lakerank.serving.testing.ServingFixture;
import dev.lakerank.streaming.testing.KafkaHarness;
import dev.lakerank.streaming.testing.StreamFixture;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving API's Kafka log end to end: the API (the serving fixture's tiny models and SQLite
 * features) publishing to the test JVM's real in-process broker, then {@code lakerank stream logs
 * --available-now} through the CLI, in this JVM, into Delta. Every answer and every feedback event
 * lands exactly once with the values the API answered, a second run adds nothing, and the online
 * click-through per ranker version of docs/serving.md comes out as counted by hand.
 *
 * <p>The API runs in a child JVM on its own runtime classpath ({@code serving-api/target/classes}
 * and {@code classpath-runtime.txt}), as {@code bin/lakerank serve} runs it: Micronaut's
 * dependencies are versioned by its BOM in serving-api only, and Spark's classpath never sees them.
 */
class KafkaLogEndToEndTest {
  /** The query of docs/serving.md ("Online click-through per model version"), verbatim. */
  static final String ONLINE_CTR =
      """
      WITH answers AS (
        SELECT request_id, ranker, items FROM ml.prediction_log
        WHERE endpoint IN ('recommendations', 'rank')),
      clicked AS (
        SELECT a.request_id, count(DISTINCT f.item_id) AS clicks
        FROM answers a JOIN ml.feedback f
          ON f.request_id = a.request_id AND f.event = 'click' AND array_contains(a.items, f.item_id)
        GROUP BY a.request_id)
      SELECT a.ranker,
             count(*) AS answers,
             count(c.request_id) AS clicked_answers,
             count(c.request_id) / count(*) AS answer_ctr,
             sum(size(a.items)) AS impressions,
             coalesce(sum(c.clicks), 0) AS clicks,
             coalesce(sum(c.clicks), 0) / sum(size(a.items)) AS item_ctr
      FROM answers a LEFT JOIN clicked c ON c.request_id = a.request_id
      GROUP BY a.ranker
      ORDER BY a.ranker
      """;

  @TempDir Path directory;

  /** What the API answered, as the log must hold it. */
  record Answer(
      String requestId,
      String endpoint,
      Long userId,
      List<Long> items,
      List<Double> scores,
      String recommender,
      String ranker) {}

  /** A feedback event as sent. */
  record Event(String requestId, long itemId, String event, Double value) {}

  @Test
  void everyAnswerAndFeedbackLandsOnceInDeltaAndGivesTheOnlineClickThroughPerRanker()
      throws Exception {
    // the lakehouse and its own topics on the test broker; the API's world (ranker@1,
    // recommender@1)
    StreamFixture lake = new StreamFixture(directory.resolve("lake"), 1, 1);
    ServingFixture world = ServingFixture.create(directory.resolve("serving"), "sqlite");
    Map<String, Object> properties = world.properties();
    properties.put(
        "lakerank.prediction-log.kafka.bootstrap-servers", KafkaHarness.bootstrapServers());
    properties.put("lakerank.prediction-log.kafka.predictions-topic", lake.predictions);
    properties.put("lakerank.prediction-log.kafka.feedback-topic", lake.feedback);

    List<Answer> answers = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    Instant start = Instant.now();
    try (ServingProcess server =
        ServingProcess.start(properties, directory.resolve("serving.log"))) {
      Api api = server.api();
      askRankerOne(api, answers);

      // a new ranker becomes champion: ranker@2 answers four recommendations (k=2)
      world.register(
          "ranker", ServingFixture.ranker(new double[] {-1.0, 0.02, 0.5, 0.0, 0.1, 0.2}, -0.5));
      assertThat(api.post("/v1/models/reload", "").json().path("ranker").asText())
          .isEqualTo("ranker@2");
      for (long user = 5; user <= 8; user++) {
        answers.add(
            ranked("recommendations", api.get("/v1/recommendations/" + user + "?k=2").json()));
      }
      assertThat(answers)
          .extracting(Answer::ranker)
          .containsExactly(
              "ranker@1",
              "ranker@1",
              "ranker@1",
              "ranker@1",
              "ranker@1",
              "ranker@1",
              "ranker@1",
              "ranker@2",
              "ranker@2",
              "ranker@2",
              "ranker@2");

      events.addAll(feedback(answers));
      send(api, events);

      int entries = answers.size() + events.size();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> server.meter("lakerank_log_written_total", "kafka") == entries);
      assertThat(server.meter("lakerank_log_failed_total", "kafka")).isZero();
      assertThat(server.meter("lakerank_log_written_total", "database")).isEqualTo(entries);
    }
    Instant end = Instant.now();

    assertOnTheWire(lake, answers, events);

    CliRun run = lake.cli("stream", "logs", "--available-now");
    assertThat(run.exitCode()).as(run.err()).isZero();

    assertLogged(lake, answers, start, end);

    // every feedback event once (the double click twice: two events), nothing quarantined
    List<Event> landed =
        lake.table(FeedbackLog.NAME).collectAsList().stream()
            .map(
                row ->
                    new Event(
                        row.getAs(FeedbackLog.REQUEST_ID),
                        row.<Long>getAs(FeedbackLog.ITEM_ID),
                        row.getAs(FeedbackLog.EVENT),
                        row.getAs(FeedbackLog.EVENT_VALUE)))
            .toList();
    assertThat(landed).containsExactlyInAnyOrderElementsOf(events);
    assertThat(lake.table(FeedbackLog.NAME).collectAsList())
        .allSatisfy(
            row ->
                assertThat(row.<Timestamp>getAs(FeedbackLog.RECEIVED_AT).toInstant())
                    .isBetween(start, end));
    assertThat(lake.table(LogQuarantine.NAME).count()).isZero();

    // a second run reads nothing new: exactly once into Delta
    CliRun again = lake.cli("stream", "logs", "--available-now");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(lake.table(PredictionLog.NAME).count()).isEqualTo(answers.size());
    assertThat(lake.table(FeedbackLog.NAME).count()).isEqualTo(events.size());

    // the online click-through per ranker version, with the documented query
    String query =
        ONLINE_CTR
            .replace(
                "ml.prediction_log", "delta.`" + lake.lakehouse.location(PredictionLog.NAME) + "`")
            .replace("ml.feedback", "delta.`" + lake.lakehouse.location(FeedbackLog.NAME) + "`");
    Map<String, List<Object>> ctr = new LinkedHashMap<>();
    for (Row row : SharedSpark.session().sql(query).collectAsList()) {
      ctr.put(
          row.getString(0),
          List.of(
              row.getLong(1),
              row.getLong(2),
              row.getDouble(3),
              row.getLong(4),
              row.getLong(5),
              row.getDouble(6)));
    }
    Map<String, List<Object>> expected = new HashMap<>();
    expected.put("ranker@1", List.of(5L, 2L, 2.0 / 5, 14L, 3L, 3.0 / 14));
    expected.put("ranker@2", List.of(4L, 2L, 2.0 / 4, 8L, 2L, 2.0 / 8));
    assertThat(ctr).isEqualTo(expected);
  }

  /** ranker@1: four recommendations (k=3), a rank, a predict, a batch predict. */
  private static void askRankerOne(Api api, List<Answer> answers) throws Exception {
    // ranker@1: four recommendations (k=3), a rank, a predict, a batch predict
    for (long user = 1; user <= 4; user++) {
      answers.add(
          ranked("recommendations", api.get("/v1/recommendations/" + user + "?k=3").json()));
    }
    answers.add(
        ranked("rank", api.post("/v1/rank", "{\"user_id\": 6, \"item_ids\": [110, 111]}").json()));
    JsonNode one = api.post("/v1/predict", "{\"user_id\": 7, \"item_id\": 120}").json();
    answers.add(
        new Answer(
            one.path("request_id").asText(),
            "predict",
            7L,
            List.of(120L),
            List.of(one.path("probability").asDouble()),
            null,
            one.path("models").path("ranker").asText()));
    JsonNode batch =
        api.post(
                "/v1/predict/batch",
                "{\"rows\": [{\"user_id\": 3, \"item_id\": 130}, "
                    + "{\"user_id\": 4, \"item_id\": 131}]}")
            .json();
    List<Double> probabilities = new ArrayList<>();
    batch.path("probabilities").forEach(p -> probabilities.add(p.asDouble()));
    answers.add(
        new Answer(
            batch.path("request_id").asText(),
            "predict_batch",
            null,
            List.of(130L, 131L),
            probabilities,
            null,
            batch.path("models").path("ranker").asText()));
  }

  /**
   * The feedback on the answers. ranker@1: user 1 clicks its first and second items, user 2 clicks
   * an item it was not shown, user 3 dismisses, user 4 buys, the rank answer's 110 is clicked: 2 of
   * 5 answers clicked, 3 of 14 items. ranker@2: user 5 clicks its first item twice (one clicked
   * item), user 6 its second, user 7 rates: 2 of 4 answers clicked, 2 of 8 items.
   */
  private static List<Event> feedback(List<Answer> answers) {
    List<Event> events = new ArrayList<>();
    // feedback. ranker@1: user 1 clicks its first and second items, user 2 clicks an item it was
    // not shown,
    // user 3 dismisses, user 4 buys, the rank answer's 110 is clicked: 2 of 5 answers clicked, 3
    // of 14 items
    Answer user1 = answers.get(0);
    events.add(new Event(user1.requestId(), user1.items().get(0), "click", null));
    events.add(new Event(user1.requestId(), user1.items().get(1), "click", null));
    events.add(new Event(answers.get(1).requestId(), notShown(answers.get(1)), "click", null));
    events.add(
        new Event(answers.get(2).requestId(), answers.get(2).items().get(2), "dismiss", null));
    events.add(
        new Event(answers.get(3).requestId(), answers.get(3).items().get(0), "purchase", 19.5));
    events.add(new Event(answers.get(4).requestId(), 110, "click", null));
    // ranker@2: user 5 clicks its first item twice (one clicked item), user 6 its second, user 7
    // rates:
    // 2 of 4 answers clicked, 2 of 8 items
    Answer user5 = answers.get(7);
    events.add(new Event(user5.requestId(), user5.items().get(0), "click", null));
    events.add(new Event(user5.requestId(), user5.items().get(0), "click", null));
    events.add(new Event(answers.get(8).requestId(), answers.get(8).items().get(1), "click", null));
    events.add(new Event(answers.get(9).requestId(), answers.get(9).items().get(0), "rating", 4.0));
    return events;
  }

  private static void send(Api api, List<Event> events) throws Exception {
    for (Event event : events) {
      String value = event.value() == null ? "" : ", \"value\": " + event.value();
      Api.Answer accepted =
          api.post(
              "/v1/feedback",
              "{\"request_id\": \""
                  + event.requestId()
                  + "\", \"item_id\": "
                  + event.itemId()
                  + ", \"event\": \""
                  + event.event()
                  + "\""
                  + value
                  + "}");
      assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
    }
  }

  /**
   * On the wire: one JSON object per entry, keyed by its request id, with exactly the fields the
   * stream reads.
   */
  private static void assertOnTheWire(StreamFixture lake, List<Answer> answers, List<Event> events)
      throws Exception {
    // on the wire: one JSON object per entry, keyed by its request id, with exactly the fields the
    // stream reads
    ObjectMapper json = new ObjectMapper();
    List<ConsumerRecord<byte[], byte[]>> predictions =
        KafkaHarness.readAll(lake.predictions, answers.size());
    List<ConsumerRecord<byte[], byte[]>> feedback =
        KafkaHarness.readAll(lake.feedback, events.size());
    assertThat(predictions)
        .hasSize(answers.size())
        .allSatisfy(
            message -> {
              JsonNode value = json.readTree(message.value());
              assertThat(fieldNames(value)).isEqualTo(PredictionLog.MESSAGE_FIELDS);
              assertThat(new String(message.key(), StandardCharsets.UTF_8))
                  .isEqualTo(value.path("request_id").asText());
            });
    assertThat(feedback)
        .hasSize(events.size())
        .allSatisfy(
            message -> {
              JsonNode value = json.readTree(message.value());
              assertThat(fieldNames(value)).isEqualTo(FeedbackLog.MESSAGE_FIELDS);
              assertThat(new String(message.key(), StandardCharsets.UTF_8))
                  .isEqualTo(value.path("request_id").asText());
            });
  }

  /** Every answer once in ml.prediction_log, with the values the API answered. */
  private static void assertLogged(
      StreamFixture lake, List<Answer> answers, Instant start, Instant end) {
    // every answer once, with the values the API answered
    List<Row> logged = lake.table(PredictionLog.NAME).collectAsList();
    assertThat(logged).hasSize(answers.size());
    Map<String, Row> byRequest =
        logged.stream()
            .collect(Collectors.toMap(row -> row.getAs(PredictionLog.REQUEST_ID), row -> row));
    assertThat(byRequest).hasSize(answers.size());
    for (Answer answer : answers) {
      Row row = byRequest.get(answer.requestId());
      assertThat(row).as(answer.requestId()).isNotNull();
      assertThat(row.<String>getAs(PredictionLog.ENDPOINT)).isEqualTo(answer.endpoint());
      assertThat(row.<Long>getAs(PredictionLog.USER_ID)).isEqualTo(answer.userId());
      assertThat(row.<Long>getList(row.fieldIndex(PredictionLog.ITEMS))).isEqualTo(answer.items());
      List<Double> scores = row.getList(row.fieldIndex(PredictionLog.SCORES));
      assertThat(scores).hasSameSizeAs(answer.scores());
      for (int i = 0; i < scores.size(); i++) {
        assertThat(scores.get(i)).isCloseTo(answer.scores().get(i), within(1e-12));
      }
      assertThat(row.<String>getAs(PredictionLog.RECOMMENDER)).isEqualTo(answer.recommender());
      assertThat(row.<String>getAs(PredictionLog.RANKER)).isEqualTo(answer.ranker());
      assertThat(row.<Boolean>getAs(PredictionLog.FALLBACK)).isFalse();
      assertThat(row.<Long>getAs(PredictionLog.LATENCY_MICROS)).isPositive();
      assertThat(row.<Timestamp>getAs(PredictionLog.CREATED_AT).toInstant()).isBetween(start, end);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Answer ranked(String endpoint, JsonNode body) {
    List<Long> items = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    body.path("items")
        .forEach(
            item -> {
              items.add(item.path("item_id").asLong());
              scores.add(item.path("score").asDouble());
            });
    return new Answer(
        body.path("request_id").asText(),
        endpoint,
        body.path("user_id").asLong(),
        items,
        scores,
        body.path("models").path("recommender").asText(),
        body.path("models").path("ranker").asText());
  }

  /** An item of the fixture (100-199) that the answer did not show. */
  private static long notShown(Answer answer) {
    long item = 100;
    while (answer.items().contains(item)) {
      item++;
    }
    return item;
  }

  /**
   * The serving API in a child JVM: {@code serving-api/target/classes} on the runtime classpath
   * Maven wrote next to them, with the given settings as system properties, on a free port.
   */
  static final class ServingProcess implements AutoCloseable {
    private static final Path TARGET =
        Path.of("..", "serving-api", "target").toAbsolutePath().normalize();
    private final Process process;
    private final Api api;

    private ServingProcess(Process process, int port) throws IOException {
      this.process = process;
      this.api = new Api(new URL("http://127.0.0.1:" + port));
    }

    static ServingProcess start(Map<String, Object> settings, Path log) throws IOException {
      Path classpath = TARGET.resolve("classpath-runtime.txt");
      assertThat(classpath).as("serving-api is not built: run Maven with -pl tests -am").exists();
      int port;
      try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-Dcom.google.protobuf.use_unsafe_pre22_gencode=true"));
      Map<String, Object> all = new LinkedHashMap<>(settings);
      all.put("micronaut.server.port", port);
      all.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.addAll(
          List.of(
              "-cp",
              TARGET.resolve("classes") + File.pathSeparator + Files.readString(classpath).strip(),
              "dev.lakerank.serving.Application"));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      ServingProcess server = new ServingProcess(process, port);
      try {
        // ready, and the Kafka sink connected (its topics' metadata read)
        await()
            .atMost(Duration.ofSeconds(90))
            .ignoreExceptions()
            .until(
                () -> {
                  assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
                  Api.Answer readiness = server.api.get("/health/readiness");
                  return readiness.status() == 200
                      && "up"
                          .equals(
                              readiness
                                  .json()
                                  .path("details")
                                  .path("lakerank")
                                  .path("details")
                                  .path("log")
                                  .path("kafka")
                                  .asText());
                });
      } catch (RuntimeException | AssertionError e) {
        server.close();
        throw new AssertionError("the serving API did not get ready: " + Files.readString(log), e);
      }
      return server;
    }

    Api api() {
      return api;
    }

    /** A counter of /prometheus for one sink. */
    double meter(String name, String sink) {
      String text = api.get("/prometheus").text();
      Matcher matcher =
          Pattern.compile(
                  "^"
                      + Pattern.quote(name)
                      + "\\{[^}]*sink=\""
                      + Pattern.quote(sink)
                      + "\"[^}]*} (\\S+)$",
                  Pattern.MULTILINE)
              .matcher(text);
      return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /** Stops the API as a supervisor does (SIGTERM: the log is flushed) and waits for it. */
    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
