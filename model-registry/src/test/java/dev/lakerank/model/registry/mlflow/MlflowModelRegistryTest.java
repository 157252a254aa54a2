package dev.lakerank.model.registry.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.model.bundle.BundleException;
import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.Evaluation;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.bundle.ModelKind;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import dev.lakerank.model.registry.RegistryEvent;
import dev.lakerank.model.registry.RegistryException;
import dev.lakerank.model.registry.mlflow.testing.MlflowTestServer;
import dev.lakerank.model.registry.mlflow.testing.MlflowTestServer.MetricPoint;
import dev.lakerank.model.registry.mlflow.testing.MlflowTestServer.RunView;
import dev.lakerank.model.registry.mlflow.testing.MlflowTestServer.VersionView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowModelRegistryTest {
  @TempDir Path temp;
  private MlflowTestServer mlflow;
  private MlflowModelRegistry registry;

  @BeforeEach
  void start() {
    mlflow = MlflowTestServer.start();
    registry = registry(null, null, null);
  }

  @AfterEach
  void stop() {
    registry.close();
    mlflow.close();
  }

  private MlflowModelRegistry registry(String token, String username, String password) {
    return new MlflowModelRegistry(
        settings(mlflow.uri().toString(), token, username, password), Clock.systemUTC());
  }

  private MlflowRegistrySettings settings(
      String uri, String token, String username, String password) {
    return MlflowRegistrySettings.of(
        "registry.mlflow.",
        uri,
        token,
        username,
        password,
        false,
        "lakerank-",
        temp.resolve("cache"),
        Duration.ofSeconds(10));
  }

  private ModelBundle bundle(String name, String payload) {
    BundleWriter writer =
        new BundleWriter(
            temp.resolve("bundles").resolve(name + "-" + payload + "-" + System.nanoTime()));
    try {
      Files.writeString(writer.pathOf("als/payload.bin"), payload, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writer.added("als/payload.bin");
    Map<String, Map<Integer, Double>> atK = new LinkedHashMap<>();
    atK.put("ndcg", Map.of(5, 0.21, 10, 0.25));
    atK.put("precision", Map.of(5, 0.12, 10, 0.09));
    writer.writeJson(
        Evaluation.FILE,
        new Evaluation(
            Map.of("ndcg_at_10", 0.25), null, null, null, atK, null, List.of("time split")));
    Map<String, String> lineage = new LinkedHashMap<>();
    lineage.put("run_id", "train-1700000000");
    lineage.put("data_window_start", "2026-01-01T00:00:00Z");
    lineage.put("data_window_end", "2026-01-12T00:00:00Z");
    lineage.put("code_version", "6a7eda2");
    lineage.put("payload", payload);
    return writer.finish(
        new Manifest(
            Manifest.FORMAT_VERSION,
            name,
            0,
            ModelKind.ALS,
            "2026-01-12T08:30:00.123Z",
            "4.1.0",
            Map.of("silver.interactions", 7L),
            List.of("user_id", "item_id"),
            Map.of("rank", 8, "regParam", 0.1),
            Map.of("ndcg_at_10", 0.25, "coverage", 0.4),
            lineage,
            null));
  }

  @Test
  void registersARunWithParamsMetricsLineageAndArtifactsAndAModelVersionOfIt() throws Exception {
    ModelBundle bundle = bundle("recs", "a");
    ModelVersion version = registry.register(bundle);

    assertThat(mlflow.experiments())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.name()).isEqualTo("lakerank-recs");
              assertThat(e.tags()).containsEntry("lakerank.managed", "true");
            });
    RunView run = mlflow.runs("lakerank-recs").get(0);
    assertThat(mlflow.runs("lakerank-recs")).hasSize(1);
    assertThat(run.status()).isEqualTo("FINISHED");
    assertThat(run.name()).isEqualTo("recs-20260112T083000Z");
    assertThat(run.params())
        .containsExactlyInAnyOrderEntriesOf(Map.of("rank", "8", "regParam", "0.1"));
    assertThat(run.metrics())
        .extracting(MetricPoint::key, MetricPoint::step, MetricPoint::value)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("coverage", 0L, 0.4),
                org.assertj.core.groups.Tuple.tuple("ndcg_at_10", 0L, 0.25),
            org.assertj.core.groups.Tuple.tuple("ndcg_at_k", 5L, 0.21),
                org.assertj.core.groups.Tuple.tuple("ndcg_at_k", 10L, 0.25),
            org.assertj.core.groups.Tuple.tuple("precision_at_k", 5L, 0.12),
                org.assertj.core.groups.Tuple.tuple("precision_at_k", 10L, 0.09));
    assertThat(run.tags())
        .containsEntry("lakerank.training_table.silver.interactions", "7")
        .containsEntry("lakerank.lineage.code_version", "6a7eda2")
        .containsEntry("mlflow.source.git.commit", "6a7eda2")
        .containsEntry("lakerank.lineage.data_window_start", "2026-01-01T00:00:00Z")
        .containsEntry("lakerank.lineage.run_id", "train-1700000000")
        .containsEntry("lakerank.kind", "als")
        .containsEntry("lakerank.model_version", "1")
        .containsKey("lakerank.registration_id");

    String root = run.artifactUri().substring("mlflow-artifacts:/".length()) + "/bundle/";
    assertThat(mlflow.artifacts(root))
        .containsExactly(
            root + "als/payload.bin", root + "evaluation.json", root + "manifest.json");
    for (String file : List.of("als/payload.bin", "evaluation.json", "manifest.json")) {
      assertThat(mlflow.artifact(root + file))
          .as(file)
          .isEqualTo(Files.readAllBytes(bundle.directory().resolve(file)));
    }

    assertThat(mlflow.registeredModels())
        .singleElement()
        .satisfies(m -> assertThat(m.tags()).containsEntry("lakerank.managed", "true"));
    VersionView created = mlflow.versions("recs").get(0);
    assertThat(created.version()).isEqualTo(1);
    assertThat(created.source()).isEqualTo(run.artifactUri() + "/bundle");
    assertThat(created.runId()).isEqualTo(run.id());
    assertThat(created.tags())
        .containsEntry("lakerank.registration_id", run.tags().get("lakerank.registration_id"));

    assertThat(version.version()).isEqualTo(1);
    assertThat(version.source()).isEqualTo(created.source());
    assertThat(version.manifest()).isEqualTo(bundle.manifest().withVersion(1));
    assertThat(registry.models()).containsExactly("recs");
    assertThat(registry.versions("recs")).extracting(ModelVersion::version).containsExactly(1);
  }

  @Test
  void opensTheVersionAnAliasNamesIntoTheCacheAndDownloadsItOnce() throws Exception {
    registry.register(bundle("recs", "a"));
    registry.register(bundle("recs", "b"));
    registry.setAlias("recs", ModelRegistry.CHAMPION, 2, "better");

    ModelVersion champion = registry.alias("recs", ModelRegistry.CHAMPION).orElseThrow();
    ModelBundle opened = registry.open(champion);

    assertThat(champion.version()).isEqualTo(2);
    assertThat(opened.directory())
        .isEqualTo(
            temp.resolve("cache").resolve("127.0.0.1_" + mlflow.uri().getPort()).resolve("recs/2"));
    assertThat(opened.file("als/payload.bin")).hasContent("b");
    assertThat(opened.manifest().version()).isEqualTo(2);
    assertThat(registry.aliases("recs")).containsExactly(Map.entry("champion", 2));

    mlflow.clearRequests();
    MlflowModelRegistry another = registry(null, null, null);
    assertThat(
            another
                .open(another.alias("recs", ModelRegistry.CHAMPION).orElseThrow())
                .file("als/payload.bin"))
        .hasContent("b");
    assertThat(mlflow.requests()).noneMatch(request -> request.startsWith("GET mlflow-artifacts"));
  }

  @Test
  void rollbackWalksTheAliasHistoryKeptAsRegisteredModelTags() {
    for (String payload : List.of("a", "b", "c")) {
      registry.register(bundle("recs", payload));
    }
    registry.setAlias("recs", ModelRegistry.CHAMPION, 1, "first");
    registry.setAlias("recs", ModelRegistry.CHAMPION, 2, "second");
    registry.setAlias("recs", ModelRegistry.CHAMPION, 3, "third");

    assertThat(registry.rollback("recs", ModelRegistry.CHAMPION, "bad").version()).isEqualTo(2);
    assertThat(registry.rollback("recs", ModelRegistry.CHAMPION, "still bad").version())
        .isEqualTo(1);
    assertThatThrownBy(() -> registry.rollback("recs", ModelRegistry.CHAMPION, "again"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("no earlier version to roll back to");
    assertThat(mlflow.registeredModels().get(0).aliases()).containsEntry("champion", 1);

    List<RegistryEvent> history = registry.history("recs");
    assertThat(history)
        .extracting(RegistryEvent::event, RegistryEvent::version, RegistryEvent::previous)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("register", 1, null),
                org.assertj.core.groups.Tuple.tuple("register", 2, null),
            org.assertj.core.groups.Tuple.tuple("register", 3, null),
                org.assertj.core.groups.Tuple.tuple("alias", 1, null),
            org.assertj.core.groups.Tuple.tuple("alias", 2, 1),
                org.assertj.core.groups.Tuple.tuple("alias", 3, 2),
            org.assertj.core.groups.Tuple.tuple("rollback", 2, 3),
                org.assertj.core.groups.Tuple.tuple("rollback", 1, 2));
    assertThat(history.get(6).reason()).isEqualTo("bad");
    assertThat(mlflow.registeredModels().get(0).tags().keySet())
        .filteredOn(key -> key.startsWith("lakerank.history."))
        .hasSize(5);
  }

  @Test
  void refusesADamagedDownloadAndLeavesNothingInTheCacheThatPassesAsABundle() throws Exception {
    ModelVersion version = registry.register(bundle("recs", "a"));
    String payload = version.source().substring("mlflow-artifacts:/".length()) + "/als/payload.bin";
    byte[] good = mlflow.artifact(payload);
    mlflow.putArtifact(payload, "tampered".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> registry.open(version))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("checksum mismatch");
    assertThat(version.bundle()).doesNotExist();
    assertThat(leftovers()).isEmpty();

    mlflow.putArtifact(payload, good);
    mlflow.failNext("GET mlflow-artifacts/" + payload, 1, 500, "INTERNAL_ERROR", false);
    assertThatThrownBy(() -> registry.open(version))
        .isInstanceOf(MlflowRequestException.class)
        .hasMessageContaining(
            "answered 500 INTERNAL_ERROR to GET api/2.0/mlflow-artifacts/artifacts/" + payload);
    assertThat(version.bundle()).doesNotExist();
    assertThat(leftovers()).isEmpty();

    assertThat(registry.open(version).file("als/payload.bin")).hasContent("a");
  }

  private List<Path> leftovers() throws IOException {
    Path models = version0Parent();
    if (!Files.isDirectory(models)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(models)) {
      return files.toList();
    }
  }

  private Path version0Parent() {
    return temp.resolve("cache").resolve("127.0.0.1_" + mlflow.uri().getPort()).resolve("recs");
  }

  @Test
  void aCreateTheServerAppliedButAnsweredWithAnErrorIsNotRecordedTwice() {
    // mlflow-client retries the error at once: the retry is applied too, then Lakerank removes the
    // copy
    mlflow.failNext("POST runs/create", 1, 502, "BAD_GATEWAY", true);
    mlflow.failNext("POST model-versions/create", 1, 500, "INTERNAL_ERROR", true);
    mlflow.failNext("POST experiments/create", 1, 500, "INTERNAL_ERROR", true);

    ModelVersion version = registry.register(bundle("recs", "a"));

    assertThat(mlflow.count("POST runs/create")).isEqualTo(2);
    assertThat(mlflow.count("POST model-versions/create")).isEqualTo(2);
    assertThat(mlflow.experiments()).hasSize(1);
    assertThat(mlflow.runs("lakerank-recs"))
        .extracting(RunView::lifecycleStage)
        .containsExactlyInAnyOrder("active", "deleted");
    assertThat(mlflow.versions("recs")).extracting(VersionView::version).containsExactly(1);
    assertThat(version.version()).isEqualTo(1);
    RunView active =
        mlflow.runs("lakerank-recs").stream()
            .filter(r -> r.lifecycleStage().equals("active"))
            .findFirst()
            .orElseThrow();
    assertThat(mlflow.versions("recs").get(0).runId()).isEqualTo(active.id());
    assertThat(active.status()).isEqualTo("FINISHED");
  }

  @Test
  void aCreateWhoseEveryAnswerWasLostIsFoundInsteadOfMadeAgain() {
    mlflow.failNext("POST runs/create", 3, 500, "INTERNAL_ERROR", true);
    mlflow.failNext("POST model-versions/create", 3, 500, "INTERNAL_ERROR", true);

    ModelVersion version = registry.register(bundle("recs", "a"));

    assertThat(mlflow.runs("lakerank-recs"))
        .filteredOn(r -> r.lifecycleStage().equals("active"))
        .hasSize(1);
    assertThat(mlflow.versions("recs")).extracting(VersionView::version).containsExactly(1);
    assertThat(version.version()).isEqualTo(1);
    assertThat(registry.register(bundle("recs", "b")).version()).isEqualTo(4);
    assertThat(registry.versions("recs")).extracting(ModelVersion::version).containsExactly(1, 4);
  }

  @Test
  void aRefusedCreateIsReportedWithTheServersWordsAndTheRunMarkedFailed() {
    mlflow.failNext("POST model-versions/create", 3, 403, "PERMISSION_DENIED", false);

    assertThatThrownBy(() -> registry.register(bundle("recs", "a")))
        .isInstanceOf(MlflowRequestException.class)
        .hasMessageContaining("answered 403 PERMISSION_DENIED to POST model-versions/create")
        .hasMessageContaining("not allowed");
    assertThat(mlflow.runs("lakerank-recs"))
        .singleElement()
        .extracting(RunView::status)
        .isEqualTo("FAILED");
    assertThat(mlflow.versions("recs")).isEmpty();
  }

  @Test
  void anUnknownModelIsRefusedAtOnceNotAfterRetries() {
    registry.register(bundle("recs", "a"));
    mlflow.clearRequests();

    assertThatThrownBy(() -> registry.version("nope", 1))
        .isInstanceOf(RegistryException.class)
        .hasMessage(
            "no model `nope` in MLflow at " + mlflow.uri() + "; Lakerank models there: [recs]");
    assertThat(mlflow.requests())
        .containsExactly("GET model-versions/search", "GET registered-models/search");

    mlflow.clearRequests();
    assertThat(registry.alias("nope", ModelRegistry.CHAMPION)).isEmpty();
    assertThat(registry.versions("nope")).isEmpty();
    assertThat(mlflow.requests())
        .containsExactly("GET registered-models/search", "GET model-versions/search");

    assertThatThrownBy(() -> registry.setAlias("recs", ModelRegistry.CHAMPION, 7, "typo"))
        .hasMessage("model `recs` has no version 7 in MLflow; versions: [1]");
  }

  @Test
  void sendsABearerTokenAndSaysWhatToSetWhenItIsMissing() {
    mlflow.requireToken("s3cret");
    MlflowModelRegistry withToken = registry("s3cret", null, null);
    assertThat(withToken.register(bundle("recs", "a")).version()).isEqualTo(1);
    assertThat(withToken.open(withToken.version("recs", 1)).file("als/payload.bin"))
        .hasContent("a");

    assertThatThrownBy(() -> registry.models())
        .isInstanceOf(MlflowRequestException.class)
        .hasMessageContaining(
            "answered 401 UNAUTHENTICATED to GET registered-models/search: Invalid access token.")
        .hasMessageContaining(
            "it was sent no credentials; set `registry.mlflow.token` (MLFLOW_TRACKING_TOKEN)")
        .satisfies(e -> assertThat(((MlflowRequestException) e).status()).isEqualTo(401));
  }

  @Test
  void sendsBasicAuthenticationToEveryEndpointArtifactsIncluded() {
    mlflow.requireBasic("trainer", "pa:ss");
    MlflowModelRegistry basic = registry(null, "trainer", "pa:ss");
    ModelVersion version = basic.register(bundle("recs", "a"));
    basic.setAlias("recs", ModelRegistry.CHAMPION, version.version(), "first");
    assertThat(
            basic
                .open(basic.alias("recs", ModelRegistry.CHAMPION).orElseThrow())
                .file("als/payload.bin"))
        .hasContent("a");

    MlflowModelRegistry wrong = registry(null, "trainer", "wrong");
    assertThatThrownBy(() -> wrong.aliases("recs"))
        .isInstanceOf(MlflowRequestException.class)
        .hasMessageContaining(
            "answered 401 to GET registered-models/search: You are not authenticated")
        .hasMessageContaining("it was sent basic authentication as `trainer`");
  }

  @Test
  void anUnreachableServerIsNamedWithWhatToCheck() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    MlflowModelRegistry nowhere =
        new MlflowModelRegistry(
            settings("http://127.0.0.1:" + port, null, null, null), Clock.systemUTC());
    assertThatThrownBy(nowhere::models)
        .isInstanceOf(MlflowRequestException.class)
        .hasMessageStartingWith(
            "cannot reach MLflow at http://127.0.0.1:"
                + port
                + " for GET registered-models/search (")
        .hasMessageContaining(
            "is the server running and reachable from here, and is `registry.mlflow.tracking-uri` (MLFLOW_TRACKING_URI) right?");
  }

  @Test
  void aServerThatDoesNotProxyArtifactsIsToldToServeThem() {
    mlflow.serveArtifacts(false);
    assertThatThrownBy(() -> registry.register(bundle("recs", "a")))
        .isInstanceOf(MlflowRequestException.class)
        .hasMessageContaining("answered 503 to PUT api/2.0/mlflow-artifacts/artifacts/")
        .hasMessageContaining("start it with `mlflow server --serve-artifacts`");
    assertThat(mlflow.runs("lakerank-recs"))
        .singleElement()
        .extracting(RunView::status)
        .isEqualTo("FAILED");

    mlflow.artifactRoot("s3://bucket/mlflow");
    assertThatThrownBy(() -> registry.register(bundle("other", "a")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("the run's artifact location is `s3://bucket/mlflow/2/");
    assertThat(mlflow.runs("lakerank-other"))
        .singleElement()
        .extracting(RunView::status)
        .isEqualTo("FAILED");
  }

  @Test
  void listsOnlyTheModelsLakerankRegistered() {
    registry.register(bundle("recs", "a"));
    new MlflowConnection(settings(mlflow.uri().toString(), null, null, null))
        .post("registered-models/create", Map.of("name", "someone-elses"));
    assertThat(registry.models()).containsExactly("recs");
    assertThat(registry.versions("someone-elses")).isEmpty();
  }

  @Test
  void badSettingsNameTheSettingAndTheFix() {
    assertThatThrownBy(() -> settings(" ", null, null, null))
        .isInstanceOf(RegistryException.class)
        .hasMessage(
            "the MLflow registry needs a tracking server: set `registry.mlflow.tracking-uri` (or MLFLOW_TRACKING_URI) to its URL, "
                + "such as http://127.0.0.1:5000");
    assertThatThrownBy(() -> settings("databricks", null, null, null))
        .hasMessageStartingWith(
            "setting `registry.mlflow.tracking-uri` is `databricks`: it must be an http:// or https:// URL");
    assertThatThrownBy(() -> settings("http://127.0.0.1:5000", null, "me", null))
        .hasMessageContaining(
            "needs both `registry.mlflow.username` and `registry.mlflow.password`");
    assertThatThrownBy(() -> settings("http://127.0.0.1:5000", "t", "me", "pw"))
        .hasMessageContaining("credentials are set twice");
    assertThat(settings("https://mlflow.example.com/", "t0ken", null, null).toString())
        .contains("https://mlflow.example.com,")
        .contains("a bearer token")
        .doesNotContain("t0ken");
  }
}
