package dev.lakerank.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.feast.FeastClient;
import dev.feast.Row;
import dev.lakerank.model.registry.mlflow.testing.MlflowTestServer;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher a user runs, {@code bin/lakerank}, with the packaged jobs jar: a new JVM, Spark on
 * the classpath, quiet logs.
 */
class LauncherIT {
  static final Path ROOT =
      Path.of(System.getProperty("lakerank.projectRoot", "..")).toAbsolutePath().normalize();

  @TempDir Path work;

  @Test
  void printsItsVersion() throws Exception {
    Result version = launch("--version");
    assertThat(version.code).as(version.err).isZero();
    assertThat(version.out).startsWith("lakerank 0.1.0-SNAPSHOT, Spark 4.1.0");
  }

  /**
   * The pipeline with the MLflow registry configured (the in-test MLflow server, basic
   * authentication from MLflow's own environment variables), then the serving API on the champions
   * it resolves there.
   */
  @Test
  void runsThePipelineIntoMlflowAndAnswersSqlWithQuietLogs() throws Exception {
    try (MlflowTestServer mlflow = MlflowTestServer.start()) {
      mlflow.requireBasic("lakerank", "pipeline-pw");
      Result pipeline =
          launch(
              "pipeline",
              "run",
              "--events",
              "3000",
              "--users",
              "100",
              "--items",
              "60",
              "--days",
              "5",
              "--lakehouse",
              work.resolve("lakehouse").toString(),
              "--raw",
              work.resolve("raw").toString(),
              "--set",
              "registry.type=mlflow",
              "--set",
              "registry.mlflow.tracking-uri=" + mlflow.uri(),
              "--set",
              "registry.mlflow.cache=" + work.resolve("mlflow-cache"),
              "--set",
              "reports.root=" + work.resolve("reports"),
              "--set",
              "features.data-root=" + work.resolve("features"),
              "--training",
              "quick");
      assertThat(pipeline.code).as(pipeline.err).isZero();
      assertThat(pipeline.out)
          .contains("training-set")
          .contains("gold.ranker_training_set")
          .contains("recommender v1 (als): champion")
          .contains("ranker v1 (gbt): champion");
      // logs are quiet: the step lines, and nothing from Spark, Hadoop, Delta or the MLflow client
      // at INFO or WARN
      List<String> noise =
          pipeline
              .err
              .lines()
              .filter(line -> !line.startsWith("["))
              .filter(line -> !line.startsWith("         "))
              .filter(
                  line -> !line.equals("WARNING: Using incubator modules: jdk.incubator.vector"))
              .toList();
      assertThat(noise).isEmpty();
      leavesRunsMetricsArtifactsVersionsAndChampionsIn(mlflow);

      Result sql =
          launch(
              "sql",
              "SELECT count(*) AS n FROM silver.users",
              "--format",
              "csv",
              "--lakehouse",
              work.resolve("lakehouse").toString());
      assertThat(sql.code).as(sql.err).isZero();
      assertThat(sql.out).isEqualTo("n\n100\n");

      servesTheMaterializedFeaturesToFeastsJavaClient();
      servesRecommendationsFromTheTrainedChampions(mlflow);
    }
  }

  /**
   * What the pipeline left in MLflow: an experiment and a finished run per model, its bundle as
   * artifacts, version 1, champion.
   */
  private static void leavesRunsMetricsArtifactsVersionsAndChampionsIn(MlflowTestServer mlflow) {
    assertThat(mlflow.experiments())
        .extracting(MlflowTestServer.ExperimentView::name)
        .containsExactlyInAnyOrder("lakerank-recommender", "lakerank-ranker");
    for (String model : List.of("recommender", "ranker")) {
      MlflowTestServer.RunView run = mlflow.runs("lakerank-" + model).get(0);
      assertThat(mlflow.runs("lakerank-" + model)).hasSize(1);
      assertThat(run.status()).isEqualTo("FINISHED");
      assertThat(run.params()).isNotEmpty();
      assertThat(run.metrics())
          .extracting(MlflowTestServer.MetricPoint::key)
          .contains(model.equals("ranker") ? "auc" : "ndcg_at_10");
      assertThat(run.tags())
          .containsKeys("lakerank.lineage.code_version", "lakerank.lineage.data_window_end")
          .containsEntry("lakerank.model_version", "1")
          .containsKey(
              model.equals("ranker")
                  ? "lakerank.training_table.gold.ranker_training_set"
                  : "lakerank.training_table.silver.interactions");
      String bundle = run.artifactUri().substring("mlflow-artifacts:/".length()) + "/bundle/";
      assertThat(mlflow.artifacts(bundle))
          .contains(bundle + "manifest.json", bundle + "evaluation.json")
          .contains(
              model.equals("ranker")
                  ? bundle + "ranker/pipeline.json"
                  : bundle + "als/item_factors.bin");
      assertThat(mlflow.versions(model))
          .singleElement()
          .satisfies(
              version -> {
                assertThat(version.version()).isEqualTo(1);
                assertThat(version.runId()).isEqualTo(run.id());
                assertThat(version.source()).isEqualTo(run.artifactUri() + "/bundle");
              });
    }
    assertThat(mlflow.registeredModels())
        .allSatisfy(model -> assertThat(model.aliases()).containsEntry("champion", 1));
  }

  /**
   * {@code lakerank serve} as a user starts it, on what the pipeline trained and materialized: the
   * champions answer, the user's clicked and bought items are left out, bad input gets a problem
   * body.
   */
  private void servesRecommendationsFromTheTrainedChampions(MlflowTestServer mlflow)
      throws Exception {
    Result seenItems =
        launch(
            "sql",
            "SELECT user_id, concat_ws(' ', collect_set(cast(item_id AS STRING))) AS items "
                + "FROM silver.interactions WHERE event_type IN ('click', 'purchase') GROUP BY user_id ORDER BY count(*) DESC LIMIT 1",
            "--format",
            "csv",
            "--lakehouse",
            work.resolve("lakehouse").toString());
    assertThat(seenItems.code).as(seenItems.err).isZero();
    String[] busiest = seenItems.out.lines().skip(1).findFirst().orElseThrow().split(",", 2);
    long user = Long.parseLong(busiest[0]);
    List<Long> seen =
        java.util.Arrays.stream(busiest[1].trim().split(" ")).map(Long::parseLong).toList();
    assertThat(seen).isNotEmpty();

    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder builder =
        new ProcessBuilder(
                ROOT.resolve("bin/lakerank").toString(),
                "serve",
                "--port",
                Integer.toString(port),
                "--mlflow",
                mlflow.uri().toString(),
                "-D",
                "lakerank.registry.mlflow.cache=" + work.resolve("serving-cache"),
                "--data-root",
                work.resolve("features").toString(),
                "--as-of",
                "materialized",
                "--database",
                "jdbc:h2:file:"
                    + work.resolve("serving-db/log")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE")
            .directory(work.toFile());
    builder.environment().put("LAKERANK_SKIP_BUILD", "1");
    builder.environment().put("MLFLOW_TRACKING_USERNAME", "lakerank");
    builder.environment().put("MLFLOW_TRACKING_PASSWORD", "pipeline-pw");
    Path log = work.resolve("api-err.txt");
    builder.redirectOutput(work.resolve("api-out.txt").toFile()).redirectError(log.toFile());
    Process server = builder.start();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port;
    try {
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> {
                  assertThat(server.isAlive()).as(Files.readString(log)).isTrue();
                  try {
                    return get(http, base + "/health/readiness").statusCode() == 200;
                  } catch (IOException e) {
                    // not listening yet
                    return false;
                  }
                });
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            "the serving API was not ready within 90 s: " + Files.readString(log), e);
      }
      java.net.http.HttpResponse<String> answer =
          get(http, base + "/v1/recommendations/" + user + "?k=5");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      com.fasterxml.jackson.databind.JsonNode body =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
      assertThat(body.path("models").path("recommender").asText()).isEqualTo("recommender@1");
      assertThat(body.path("models").path("ranker").asText()).isEqualTo("ranker@1");
      // resolved as models:/<name>@champion and downloaded from MLflow's artifact proxy into the
      // serving cache
      assertThat(
              work.resolve("serving-cache")
                  .resolve("127.0.0.1_" + mlflow.uri().getPort())
                  .resolve("ranker/1/manifest.json"))
          .exists();
      assertThat(body.path("fallback").asBoolean()).isFalse();
      assertThat(body.path("items")).hasSize(5);
      for (com.fasterxml.jackson.databind.JsonNode item : body.path("items")) {
        assertThat(seen).doesNotContain(item.path("item_id").asLong());
        assertThat(item.path("score").asDouble()).isBetween(0.0, 1.0);
      }
      java.net.http.HttpResponse<String> bad =
          get(http, base + "/v1/recommendations/" + user + "?k=0");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.headers().firstValue("content-type").orElse(""))
          .startsWith("application/problem+json");
      // quiet: the start line and the models served, nothing else
      assertThat(Files.readString(log).lines().filter(line -> !line.contains("INFO")).toList())
          .isEmpty();
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }

  private static java.net.http.HttpResponse<String> get(java.net.http.HttpClient http, String url)
      throws IOException, InterruptedException {
    return http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@code lakerank features serve} as a user starts it, called by Feast's unmodified Java client.
   */
  private void servesTheMaterializedFeaturesToFeastsJavaClient() throws Exception {
    Result expected =
        launch(
            "sql",
            "SELECT item_id, category, price FROM gold.item_profile_features ORDER BY item_id LIMIT 3",
            "--format",
            "csv",
            "--lakehouse",
            work.resolve("lakehouse").toString());
    assertThat(expected.code).as(expected.err).isZero();
    List<String[]> items = expected.out.lines().skip(1).map(line -> line.split(",")).toList();
    assertThat(items).hasSize(3);

    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path serverOut = work.resolve("serve-out.txt");
    ProcessBuilder builder =
        new ProcessBuilder(
                ROOT.resolve("bin/lakerank").toString(),
                "features",
                "serve",
                "--port",
                Integer.toString(port),
                "--set",
                "features.data-root=" + work.resolve("features"))
            .directory(work.toFile());
    builder.environment().put("LAKERANK_SKIP_BUILD", "1");
    builder.environment().put("LAKERANK_DRIVER_MEMORY", "1g");
    builder
        .redirectOutput(serverOut.toFile())
        .redirectError(work.resolve("serve-err.txt").toFile());
    Process server = builder.start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .alias("the feature server did not start within 60 s")
          .until(
              () -> {
                assertThat(server.isAlive())
                    .as(Files.readString(work.resolve("serve-err.txt")))
                    .isTrue();
                return Files.readString(serverOut).contains("serving feast.serving.ServingService");
              });
      FeastClient client = FeastClient.create("127.0.0.1", port);
      try {
        List<Row> rows = new ArrayList<>();
        for (String[] item : items) {
          rows.add(Row.create().set("item_id", Long.parseLong(item[0])).set("user_id", 1L));
        }
        rows.add(Row.create().set("item_id", 987_654_321L).set("user_id", 1L));
        List<Row> answer =
            client.getOnlineFeatures(
                List.of(
                    "item_profile:category", "item_profile:price", "user_activity:impressions_7d"),
                rows);
        assertThat(answer).hasSize(4);
        for (int i = 0; i < items.size(); i++) {
          assertThat(answer.get(i).getStatus("item_profile:category"))
              .isEqualTo(FieldStatus.PRESENT);
          assertThat(answer.get(i).getString("item_profile:category")).isEqualTo(items.get(i)[1]);
          assertThat(answer.get(i).getDouble("item_profile:price"))
              .isEqualTo(Double.parseDouble(items.get(i)[2]));
          // generated data lies in the past: beyond the 35-day ttl as of now, still returned
          assertThat(answer.get(i).getStatus("user_activity:impressions_7d"))
              .isIn(FieldStatus.OUTSIDE_MAX_AGE, FieldStatus.NOT_FOUND);
        }
        assertThat(answer.get(3).getStatus("item_profile:category"))
            .isEqualTo(FieldStatus.NOT_FOUND);
        assertThat(client.getFeastServingInfo().getVersion()).startsWith("lakerank-");
      } finally {
        client.close();
      }
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }

  @Test
  void failsWithAMessageOnBadInput() throws Exception {
    Result result =
        launch(
            "ingest",
            work.resolve("nothing-here").toString(),
            "--lakehouse",
            work.resolve("lh").toString());
    assertThat(result.code).isEqualTo(1);
    assertThat(result.err).contains("error: source ").contains("does not exist");
  }

  private record Result(int code, String out, String err) {}

  private Result launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin/lakerank").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    // never start a nested Maven build from a test: the reactor has just packaged the jar
    builder.environment().put("LAKERANK_SKIP_BUILD", "1");
    builder.environment().put("LAKERANK_DRIVER_MEMORY", "2g");
    // the credentials of the in-test MLflow server, read as MLflow's own clients read them
    builder.environment().put("MLFLOW_TRACKING_USERNAME", "lakerank");
    builder.environment().put("MLFLOW_TRACKING_PASSWORD", "pipeline-pw");
    Path out = work.resolve("out.txt");
    Path err = work.resolve("err.txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          "bin/lakerank " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
