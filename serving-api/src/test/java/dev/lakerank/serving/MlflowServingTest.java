package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.mlflow.MlflowModelRegistry;
import dev.lakerank.model.registry.mlflow.MlflowRegistrySettings;
import dev.lakerank.model.registry.mlflow.testing.MlflowTestServer;
import dev.lakerank.serving.testing.Api;
import dev.lakerank.serving.testing.Api.Answer;
import dev.lakerank.serving.testing.ServingFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving API on an MLflow registry (the in-test server, with a token): it resolves {@code
 * models:/recommender@champion} and {@code models:/ranker@champion}, downloads and verifies the
 * bundles, serves them, and follows the alias when it moves in MLflow.
 */
class MlflowServingTest {
  private static final double[] RANKER = {2.0, -0.01, 0.8, 0.02, 0.3, -0.4};

  @TempDir Path directory;

  private MlflowModelRegistry registry(MlflowTestServer mlflow) {
    return new MlflowModelRegistry(
        MlflowRegistrySettings.of(
            "test.",
            mlflow.uri().toString(),
            "serving-t0ken",
            null,
            null,
            false,
            "lakerank-",
            directory.resolve("trainer-cache"),
            Duration.ofSeconds(10)),
        Clock.systemUTC());
  }

  private Map<String, Object> properties(ServingFixture world, String trackingUri) {
    Map<String, Object> properties = world.properties();
    properties.put("lakerank.serving.poll-interval", "200ms");
    properties.put("lakerank.registry.type", "mlflow");
    properties.put("lakerank.registry.mlflow.tracking-uri", trackingUri);
    properties.put("lakerank.registry.mlflow.token", "serving-t0ken");
    properties.put("lakerank.registry.mlflow.cache", directory.resolve("serving-cache").toString());
    return properties;
  }

  @Test
  void servesTheChampionsOfMlflowAndFollowsTheAliasWhenItMoves() {
    try (MlflowTestServer mlflow = MlflowTestServer.start()) {
      mlflow.requireToken("serving-t0ken");
      ServingFixture world = ServingFixture.createWithoutModels(directory, "sqlite");
      MlflowModelRegistry trainer = registry(mlflow);
      world.register(trainer, "recommender", ServingFixture.recommender(1f), true);
      world.register(trainer, "ranker", ServingFixture.ranker(RANKER, -1.5), true);

      try (EmbeddedServer server =
          ApplicationContext.run(
              EmbeddedServer.class, properties(world, mlflow.uri().toString()))) {
        Api api = new Api(server.getURL());
        assertThat(api.get("/health/readiness").status()).isEqualTo(200);
        JsonNode models = api.get("/v1/models").json();
        JsonNode recommender = models.path("models").get(0);
        assertThat(recommender.path("version").asInt()).isEqualTo(1);
        assertThat(recommender.path("aliases").path("champion").asInt()).isEqualTo(1);
        Answer answer = api.get("/v1/recommendations/1?k=5");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("models").path("recommender").asText())
            .isEqualTo("recommender@1");
        assertThat(answer.json().path("models").path("ranker").asText()).isEqualTo("ranker@1");
        assertThat(
                directory
                    .resolve("serving-cache")
                    .resolve("127.0.0.1_" + mlflow.uri().getPort())
                    .resolve("ranker/1/manifest.json"))
            .exists();

        // a new champion, promoted in MLflow by another client: the poll picks it up
        world.register(trainer, "recommender", ServingFixture.recommender(2f), false);
        mlflow.setAlias("recommender", ModelRegistry.CHAMPION, 2);
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(
                            api.get("/v1/recommendations/1?k=5")
                                .json()
                                .path("models")
                                .path("recommender")
                                .asText())
                        .isEqualTo("recommender@2"));

        // a champion whose artifacts were damaged is refused; the loaded one keeps serving
        // damaged before the alias moves, or the 200 ms poll could load it intact first
        world.register(trainer, "ranker", ServingFixture.ranker(RANKER, -1.0), false);
        String source =
            mlflow.versions("ranker").get(1).source().substring("mlflow-artifacts:/".length());
        mlflow.putArtifact(
            source + "/ranker/pipeline.json",
            "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        mlflow.setAlias("ranker", ModelRegistry.CHAMPION, 2);
        JsonNode refused = api.post("/v1/models/reload", "").json();
        assertThat(refused.path("refused").get(0).path("reason").asText())
            .contains("checksum mismatch");
        assertThat(
                api.get("/v1/recommendations/1?k=5").json().path("models").path("ranker").asText())
            .isEqualTo("ranker@1");
      }
    }
  }

  @Test
  void aMissingTrackingUriStopsTheStartNamingTheSetting() {
    ServingFixture world = ServingFixture.createWithoutModels(directory, "sqlite");
    Map<String, Object> properties = properties(world, "");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ApplicationContext.run(EmbeddedServer.class, properties).close())
        .rootCause()
        .isInstanceOf(dev.lakerank.model.registry.RegistryException.class)
        .hasMessage(
            "the MLflow registry needs a tracking server: set `lakerank.registry.mlflow.tracking-uri` (or MLFLOW_TRACKING_URI) "
                + "to its URL, such as http://127.0.0.1:5000");
  }

  @Test
  void startsNotReadyWhenMlflowIsUnreachableAndSaysWhy() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ServingFixture world = ServingFixture.createWithoutModels(directory, "sqlite");
    try (EmbeddedServer server =
        ApplicationContext.run(
            EmbeddedServer.class, properties(world, "http://127.0.0.1:" + port))) {
      Api api = new Api(server.getURL());
      Answer readiness = api.get("/health/readiness");
      assertThat(readiness.status()).isEqualTo(503);
      assertThat(readiness.text())
          .contains("no champion models loaded yet from the MLflow at http://127.0.0.1:" + port)
          .contains("cannot reach MLflow")
          .contains("lakerank.registry.mlflow.tracking-uri");
      Answer recommend = api.get("/v1/recommendations/1");
      assertThat(recommend.status()).isEqualTo(503);
      assertThat(recommend.json().path("detail").asText()).contains("cannot reach MLflow");
      assertThat(api.get("/v1/models").status()).isEqualTo(200);
    }
  }
}
