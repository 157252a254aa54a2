package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.ranker.RankerScorer;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.serving.log.FeedbackRepository;
import dev.lakerank.serving.log.PredictionLogRepository;
import dev.lakerank.serving.testing.Api;
import dev.lakerank.serving.testing.Api.Answer;
import dev.lakerank.serving.testing.ServingFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API on the SQLite online store, in process: every endpoint, the scores it gives, and every
 * bad input.
 */
class ServingApiTest {
  @TempDir static Path directory;
  static ServingFixture world;
  static EmbeddedServer server;
  static Api api;
  static AlsScorer als;
  static RankerScorer ranker;

  @BeforeAll
  static void start() {
    world = ServingFixture.create(directory, "sqlite");
    server = ApplicationContext.run(EmbeddedServer.class, world.properties());
    api = new Api(server.getURL());
    ModelRegistry registry = world.registry();
    als =
        AlsScorer.load(
            registry.open(registry.alias("recommender", ModelRegistry.CHAMPION).orElseThrow()));
    ranker =
        RankerScorer.load(
            registry.open(registry.alias("ranker", ModelRegistry.CHAMPION).orElseThrow()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * What the ranker should give: inputs built here from the fixture's own values, not from the API.
   */
  static double expected(long user, long item, String device, Instant at) {
    float alsScore = als.score(user, item);
    return ranker.score(
        new Object[] {
          user <= 40 ? ServingFixture.ctr(user) : null,
          ServingFixture.price(item),
          (double) alsScore,
          at.atZone(ZoneOffset.UTC).getHour(),
          device,
          ServingFixture.category(item)
        });
  }

  @Test
  void recommendsTheTopKOfTheRerankedAlsCandidatesWithoutSeenItems() {
    Answer answer = api.get("/v1/recommendations/1?k=7");
    assertThat(answer.status()).isEqualTo(200);
    JsonNode body = answer.json();
    assertThat(body.path("fallback").asBoolean()).isFalse();
    assertThat(body.path("user_id").asLong()).isEqualTo(1);
    assertThat(body.path("request_id").asText()).hasSize(36);
    assertThat(body.path("models").path("recommender").asText()).isEqualTo("recommender@1");
    assertThat(body.path("models").path("ranker").asText()).isEqualTo("ranker@1");
    // 100 items, 2 seen: all 98 others are candidates (fewer than the 200 asked for)
    assertThat(body.path("candidates").asInt()).isEqualTo(98);
    JsonNode items = body.path("items");
    assertThat(items).hasSize(7);
    // the best 7 of all unseen items by the ranker's score, computed independently
    List<Long> unseen =
        LongStream.range(100, 200).filter(i -> i != 100 && i != 101).boxed().toList();
    List<Long> best =
        unseen.stream()
            .sorted(
                (a, b) ->
                    Double.compare(
                        expected(1, b, null, ServingFixture.NOW),
                        expected(1, a, null, ServingFixture.NOW)))
            .limit(7)
            .toList();
    List<Long> got = new ArrayList<>();
    for (int r = 0; r < items.size(); r++) {
      JsonNode item = items.get(r);
      got.add(item.path("item_id").asLong());
      assertThat(item.path("rank").asInt()).isEqualTo(r + 1);
      assertThat(item.path("score").asDouble())
          .isCloseTo(
              expected(1, item.path("item_id").asLong(), null, ServingFixture.NOW), within(1e-12));
      assertThat(item.path("als_score").asDouble())
          .isCloseTo(als.score(1, item.path("item_id").asLong()), within(1e-6));
    }
    assertThat(got).containsExactlyElementsOf(best).doesNotContain(100L, 101L);
  }

  @Test
  void anUnknownUserGetsPopularItemsFlaggedAsFallback() {
    JsonNode body = api.get("/v1/recommendations/5000?k=3").json();
    assertThat(body.path("fallback").asBoolean()).isTrue();
    Set<Long> items = new HashSet<>();
    body.path("items").forEach(item -> items.add(item.path("item_id").asLong()));
    // the 5 popular items are the candidates; the ranker picks 3 of them
    assertThat(Set.of(150L, 120L, 199L, 100L, 101L)).containsAll(items);
    assertThat(body.path("items").get(0).has("als_score")).isFalse();
    assertThat(body.path("feature_misses").path("user_activity").asInt()).isEqualTo(1);
  }

  @Test
  void ranksTheGivenItemsWithTheContext() {
    Answer answer =
        api.post(
            "/v1/rank",
            "{\"user_id\": 3, \"item_ids\": [105, 150, 199, 999], \"context\": {\"device\": \"android\", \"timestamp\": \"2026-03-01T18:30:00Z\"}}");
    assertThat(answer.status()).isEqualTo(200);
    JsonNode items = answer.json().path("items");
    assertThat(items).hasSize(4);
    for (JsonNode item : items) {
      long id = item.path("item_id").asLong();
      if (id != 999) {
        assertThat(item.path("score").asDouble())
            .isCloseTo(
                expected(3, id, "android", Instant.parse("2026-03-01T18:30:00Z")), within(1e-12));
      }
    }
    for (int r = 1; r < items.size(); r++) {
      assertThat(items.get(r).path("score").asDouble())
          .isLessThanOrEqualTo(items.get(r - 1).path("score").asDouble());
    }
    // item 999 is in no store: its two item_profile features are misses
    assertThat(answer.json().path("feature_misses").path("item_profile").asInt()).isEqualTo(2);
  }

  @Test
  void predictsExplicitRowsWithGivenFeaturesWinning() {
    Answer one =
        api.post(
            "/v1/predict",
            "{\"user_id\": 2, \"item_id\": 110, \"features\": {\"item_profile:price\": 99.0, \"device\": \"ios\"}}");
    assertThat(one.status()).isEqualTo(200);
    float alsScore = als.score(2, 110);
    double want =
        ranker.score(
            new Object[] {
              ServingFixture.ctr(2),
              99.0,
              (double) alsScore,
              ServingFixture.NOW.atZone(ZoneOffset.UTC).getHour(),
              "ios",
              ServingFixture.category(110)
            });
    assertThat(one.json().path("probability").asDouble()).isCloseTo(want, within(1e-12));
    assertThat(one.json().path("models").path("ranker").asText()).isEqualTo("ranker@1");

    Answer batch =
        api.post(
            "/v1/predict/batch",
            "{\"rows\": [{\"features\": {\"user_activity:ctr_7d\": 0.5, \"hour_of_day\": 3}},"
                + " {\"user_id\": 1, \"item_id\": 120, \"features\": {\"hour_of_day\": 3}}]}");
    assertThat(batch.status()).isEqualTo(200);
    JsonNode probabilities = batch.json().path("probabilities");
    assertThat(probabilities).hasSize(2);
    assertThat(probabilities.get(0).asDouble())
        .isCloseTo(
            ranker.score(new Object[] {0.5, null, Double.NaN, 3, null, null}), within(1e-12));
    assertThat(probabilities.get(1).asDouble())
        .isCloseTo(
            ranker.score(
                new Object[] {
                  ServingFixture.ctr(1),
                  ServingFixture.price(120),
                  (double) als.score(1, 120),
                  3,
                  null,
                  ServingFixture.category(120)
                }),
            within(1e-12));
  }

  @Test
  void logsEveryAnswerAndFeedbackToTheServingDatabase() {
    String requestId = api.get("/v1/recommendations/4?k=2").json().path("request_id").asText();
    Answer feedback =
        api.post(
            "/v1/feedback",
            "{\"request_id\": \"" + requestId + "\", \"item_id\": 120, \"event\": \"click\"}");
    assertThat(feedback.status()).isEqualTo(202);
    assertThat(feedback.json().path("recorded").asBoolean()).isTrue();
    PredictionLogRepository predictions =
        server.getApplicationContext().getBean(PredictionLogRepository.class);
    FeedbackRepository events = server.getApplicationContext().getBean(FeedbackRepository.class);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(predictions.findByRequestId(requestId))
                  .singleElement()
                  .satisfies(
                      entry -> {
                        assertThat(entry.endpoint()).isEqualTo("recommendations");
                        assertThat(entry.userId()).isEqualTo(4L);
                        assertThat(entry.ranker()).isEqualTo("ranker@1");
                        assertThat(entry.recommender()).isEqualTo("recommender@1");
                        assertThat(entry.items()).matches("\\[\\d+,\\d+\\]");
                      });
              assertThat(events.findByRequestId(requestId))
                  .singleElement()
                  .satisfies(entry -> assertThat(entry.event()).isEqualTo("click"));
            });
  }

  @Test
  void listsTheServedModelsWithVersionsAliasesMetricsAndLineage() {
    JsonNode body = api.get("/v1/models").json();
    assertThat(body.path("ready").asBoolean()).isTrue();
    assertThat(body.path("feature_source").asText()).startsWith("in-process sqlite");
    List<String> names = new ArrayList<>();
    body.path("models")
        .forEach(
            model ->
                names.add(
                    model.path("name").asText()
                        + "@"
                        + model.path("version").asInt()
                        + " "
                        + model.path("aliases").path("champion").asInt()
                        + " "
                        + model.path("lineage").path("run_id").asText()));
    assertThat(names).containsExactly("recommender@1 1 fixture", "ranker@1 1 fixture");
    assertThat(api.get("/v1/models/ranker").json().path("metrics").path("auc").asDouble())
        .isEqualTo(0.7);
    assertThat(api.get("/v1/models/ranker").json().path("inputs")).hasSize(6);
  }

  @Test
  void badInputGetsAProblemBodyNamingTheField() {
    assertProblem(api.get("/v1/recommendations/abc"), 400, "userId");
    assertProblem(api.get("/v1/recommendations/-5"), 400, "user_id");
    assertProblem(
        api.get("/v1/recommendations/1?k=0"), 400, "k: must be greater than or equal to 1");
    assertProblem(
        api.get("/v1/recommendations/1?k=1001"), 400, "k: must be less than or equal to 1000");
    assertProblem(api.get("/v1/recommendations/1?k=ten"), 400, "k");
    String tooMany =
        LongStream.range(0, 1001).mapToObj(Long::toString).collect(Collectors.joining(","));
    assertProblem(
        api.post("/v1/rank", "{\"user_id\": 1, \"item_ids\": [" + tooMany + "]}"),
        400,
        "item_ids: size must be between");
    assertProblem(api.post("/v1/rank", "{\"user_id\": 1, \"item_ids\": []}"), 400, "item_ids");
    assertProblem(api.post("/v1/rank", "{\"user_id\": -1, \"item_ids\": [1]}"), 400, "user_id");
    assertProblem(api.post("/v1/rank", "{\"item_ids\": [1]}"), 400, "user_id");
    assertProblem(api.post("/v1/rank", "{\"user_id\": 1, \"item_ids\": [1, -2]}"), 400, "item_ids");
    assertProblem(
        api.post("/v1/rank", "{\"user_id\": 1, \"item_ids\": [7, 7]}"),
        400,
        "item_ids holds 7 more than once");
    assertProblem(
        api.post("/v1/rank", "{\"user_id\": 1, \"item_ids\": [7], \"context\": {\"device\": 3}}"),
        400,
        "context.device must be a string");
    assertProblem(
        api.post(
            "/v1/rank",
            "{\"user_id\": 1, \"item_ids\": [7], \"context\": {\"hour_of_day\": \"noon\"}}"),
        400,
        "context.hour_of_day must be a number");
    assertProblem(
        api.post(
            "/v1/rank", "{\"user_id\": 1, \"item_ids\": [7], \"context\": {\"colour\": \"red\"}}"),
        400,
        "context.colour is not an input of the ranker");
    assertProblem(
        api.post(
            "/v1/rank",
            "{\"user_id\": 1, \"item_ids\": [7], \"context\": {\"timestamp\": \"yesterday\"}}"),
        400,
        "context.timestamp must be an ISO-8601 instant");
    assertProblem(api.post("/v1/rank", "{\"user_id\": 1, \"item_ids\": [7"), 400, "");
    assertProblem(api.post("/v1/rank", "{\"user_id\": \"one\", \"item_ids\": [7]}"), 400, "");
    assertProblem(api.post("/v1/predict/batch", "{\"rows\": []}"), 400, "rows");
    assertProblem(
        api.post("/v1/predict", "{\"features\": {\"user_activity:ctr_7d\": \"high\"}}"),
        400,
        "features.user_activity:ctr_7d must be a number");
    assertProblem(
        api.post("/v1/feedback", "{\"request_id\": \"r\", \"item_id\": 1, \"event\": \"like\"}"),
        400,
        "event: must be one of click, purchase, dismiss, rating");
    assertProblem(
        api.post("/v1/feedback", "{\"item_id\": 1, \"event\": \"click\"}"), 400, "request_id");
    assertProblem(
        api.post(
            "/v1/rank",
            "{\"user_id\": 1, \"item_ids\": [1], \"context\": {\"pad\": \""
                + "x".repeat(1_100_000)
                + "\"}}"),
        413,
        "");
    assertProblem(api.get("/v1/nothing-here"), 404, "");
    assertProblem(api.get("/v1/models/nope"), 404, "model 'nope' is not served here");
  }

  private static void assertProblem(Answer answer, int status, String detail) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.contentType()).as(answer.text()).startsWith("application/problem+json");
    JsonNode body = answer.json();
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("title").asText()).isNotEmpty();
    assertThat(body.path("detail").asText()).as(answer.text()).contains(detail);
  }

  @Test
  void healthMetricsAndOpenApiAreServed() {
    assertThat(api.get("/health/liveness").status()).isEqualTo(200);
    Answer ready = api.get("/health/readiness");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.text()).contains("recommender@1");
    api.get("/v1/recommendations/9?k=2");
    api.get("/v1/recommendations/7777?k=2");
    String metrics = api.get("/prometheus").text();
    assertThat(metrics)
        .contains(
            "lakerank_serving_latency_seconds_bucket{endpoint=\"recommendations\",fallback=\"false\",ranker=\"ranker@1\",recommender=\"recommender@1\"");
    assertThat(metrics).contains("lakerank_serving_fallbacks_total");
    assertThat(metrics).contains("lakerank_serving_feature_misses_total{view=\"user_activity\"}");
    assertThat(metrics).contains("lakerank_log_dropped_total");
    Answer spec = api.get("/swagger/lakerank-serving-api-v1.yml");
    assertThat(spec.status()).isEqualTo(200);
    assertThat(spec.text())
        .contains(
            "/v1/recommendations/{userId}",
            "/v1/rank",
            "/v1/predict/batch",
            "/v1/feedback",
            "/v1/models/reload");
    Answer ui = api.get("/swagger-ui/index.html");
    assertThat(ui.status()).isEqualTo(200);
    assertThat(ui.text()).containsIgnoringCase("swagger");
  }
}
