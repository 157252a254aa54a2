package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakerank.model.ranker.Input;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import dev.lakerank.serving.testing.Api;
import dev.lakerank.serving.testing.Api.Answer;
import dev.lakerank.serving.testing.ServingFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The champion changes under load: the new versions are picked up by polling and swapped in with no
 * failed request, and versions that fail to load are refused while the loaded ones keep serving.
 */
class HotReloadTest {
  @TempDir Path directory;

  @Test
  void swapsChampionsUnderLoadWithoutAFailedRequestAndRefusesBrokenVersions() throws Exception {
    ServingFixture world = ServingFixture.create(directory, "sqlite");
    Map<String, Object> properties = world.properties();
    properties.put("lakerank.serving.poll-interval", "200ms");
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
      Api api = new Api(server.getURL());
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong answered = new AtomicLong();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      Map<String, AtomicLong> byVersions = new ConcurrentHashMap<>();
      ConcurrentLinkedQueue<String> wentBack = new ConcurrentLinkedQueue<>();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int client = c;
        Thread thread =
            new Thread(
                () -> {
                  boolean sawNew = false;
                  for (int n = 0; running.get(); n++) {
                    long user = 1 + (n * 4 + client) % 45;
                    Answer answer =
                        n % 2 == 0
                            ? api.get("/v1/recommendations/" + user + "?k=5")
                            : api.post(
                                "/v1/rank",
                                "{\"user_id\": " + user + ", \"item_ids\": [100, 120, 140, 160]}");
                    if (answer.status() != 200) {
                      failures.add(answer.status() + " " + answer.text());
                      continue;
                    }
                    JsonNode models = answer.json().path("models");
                    String versions =
                        models.path("recommender").asText() + " " + models.path("ranker").asText();
                    byVersions.computeIfAbsent(versions, v -> new AtomicLong()).incrementAndGet();
                    boolean isNew = versions.contains("ranker@2");
                    if (sawNew && !isNew) {
                      wentBack.add(versions);
                    }
                    sawNew |= isNew;
                    answered.incrementAndGet();
                  }
                },
                "client-" + c);
        thread.start();
        clients.add(thread);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> answered.get() > 200);

      // new champions: picked up by the poll, no reload call
      world.register("recommender", ServingFixture.recommender(2f));
      world.register(
          "ranker", ServingFixture.ranker(new double[] {-1.0, 0.02, 0.5, 0.0, 0.1, 0.2}, -0.5));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  byVersions.containsKey("recommender@2 ranker@2")
                      && byVersions.get("recommender@2 ranker@2").get() > 200);

      // a damaged bundle becomes champion: refused, ranker@2 keeps serving
      // damaged before the alias moves, or the 200 ms poll could load it intact first
      ModelVersion damaged =
          world.register(
              "ranker", ServingFixture.ranker(new double[] {1, 1, 1, 1, 1, 1}, 0), false);
      Files.writeString(damaged.bundle().resolve("ranker/pipeline.json"), "{}");
      world.registry().setAlias("ranker", ModelRegistry.CHAMPION, damaged.version(), "test");
      JsonNode reload = api.post("/v1/models/reload", "").json();
      assertThat(reload.path("refused").get(0).path("version").asInt()).isEqualTo(3);
      assertThat(reload.path("refused").get(0).path("reason").asText())
          .contains("checksum mismatch");
      assertThat(reload.path("ranker").asText()).isEqualTo("ranker@2");

      // a ranker reading a view the online store does not serve: refused with the reason
      List<Input> offline = new ArrayList<>(ServingFixture.RANKER_INPUTS);
      offline.set(0, new Input("user_demographics__age", Input.InputType.NUMERIC));
      world.register("ranker", ServingFixture.ranker(offline, new double[] {1, 1, 1, 1, 1, 1}, 0));
      JsonNode refused = api.post("/v1/models/reload", "").json().path("refused").get(0);
      assertThat(refused.path("version").asInt()).isEqualTo(4);
      assertThat(refused.path("reason").asText()).contains("user_demographics", "does not serve");
      long before = answered.get();
      await().atMost(Duration.ofSeconds(20)).until(() -> answered.get() > before + 200);

      running.set(false);
      for (Thread thread : clients) {
        thread.join(10_000);
      }
      assertThat(failures).as("failed requests").isEmpty();
      assertThat(wentBack).as("answers by the old ranker after the new one answered").isEmpty();
      assertThat(byVersions).containsKeys("recommender@1 ranker@1", "recommender@2 ranker@2");
      assertThat(byVersions.keySet())
          .allMatch(v -> !v.contains("ranker@3") && !v.contains("ranker@4"));

      JsonNode ranker = api.get("/v1/models/ranker").json();
      assertThat(ranker.path("version").asInt()).isEqualTo(2);
      assertThat(ranker.path("aliases").path("champion").asInt()).isEqualTo(4);
      assertThat(ranker.path("refused").path("version").asInt()).isEqualTo(4);
      assertThat(api.get("/prometheus").text())
          .contains("lakerank_models_refused_total{model=\"ranker\"} 2.0");
    }
  }

  @Test
  void answers503UntilChampionsExistThenServes() {
    ServingFixture world = ServingFixture.createWithoutModels(directory, "sqlite");
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, world.properties())) {
      Api api = new Api(server.getURL());
      Answer notReady = api.get("/health/readiness");
      assertThat(notReady.status()).isEqualTo(503);
      assertThat(notReady.text()).contains("no champion models loaded yet");
      Answer recommend = api.get("/v1/recommendations/1");
      assertThat(recommend.status()).isEqualTo(503);
      assertThat(recommend.contentType()).startsWith("application/problem+json");
      assertThat(recommend.json().path("detail").asText())
          .contains("no champion models loaded yet", "lakerank pipeline run");
      assertThat(api.get("/v1/models").json().path("ready").asBoolean()).isFalse();

      world.register("recommender", ServingFixture.recommender(1f));
      world.register(
          "ranker", ServingFixture.ranker(new double[] {2.0, -0.01, 0.8, 0.02, 0.3, -0.4}, -1.5));
      assertThat(api.post("/v1/models/reload", "").json().path("loaded")).hasSize(2);
      assertThat(api.get("/health/readiness").status()).isEqualTo(200);
      assertThat(api.get("/v1/recommendations/1").status()).isEqualTo(200);
    }
  }
}
