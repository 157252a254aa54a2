package dev.lakerank.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
  @TempDir Path dir;

  static Manifest manifest(String name, ModelKind kind) {
    return new Manifest(
        Manifest.FORMAT_VERSION,
        name,
        0,
        kind,
        "2024-05-01T10:15:30Z",
        "3.5.1",
        Map.of("lakerank.events", 12L),
        List.of("user:ctr_7d", "device"),
        Map.of("rank", 16, "reg_param", 0.05),
        Map.of("auc", 0.81),
        Map.of("run_id", "r-42"),
        null);
  }

  private ModelBundle writeBundle() throws IOException {
    BundleWriter writer = new BundleWriter(dir);
    Files.writeString(writer.pathOf("als/payload.bin"), "payload bytes", StandardCharsets.UTF_8);
    writer.added("als/payload.bin");
    writer.writeJson("extra.json", Map.of("a", 1));
    return writer.finish(manifest("recs", ModelKind.ALS));
  }

  private static String sha256Of(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void writtenBundleOpensWithEveryFileChecksummed() throws Exception {
    ModelBundle bundle = writeBundle();

    ModelBundle reopened = ModelBundle.open(dir);
    assertThat(reopened.manifest()).isEqualTo(bundle.manifest());
    assertThat(reopened.manifest().files()).containsOnlyKeys("als/payload.bin", "extra.json");
    // independent computation of the checksum, not ModelBundle.sha256
    assertThat(reopened.manifest().files().get("als/payload.bin"))
        .isEqualTo(sha256Of("payload bytes".getBytes(StandardCharsets.UTF_8)));
    assertThat(reopened.file("als/payload.bin")).hasContent("payload bytes");
    assertThat(reopened.readJson("extra.json", Map.class)).isEqualTo(Map.of("a", 1));
    assertThat(dir.resolve(ModelBundle.MANIFEST + ".tmp")).doesNotExist();
  }

  @Test
  void changedByteInPayloadIsRefusedNamingTheFileAndChecksum() throws Exception {
    writeBundle();
    Path payload = dir.resolve("als/payload.bin");
    byte[] bytes = Files.readAllBytes(payload);
    bytes[3] ^= 1;
    Files.write(payload, bytes);

    assertThatThrownBy(() -> ModelBundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("payload.bin")
        .hasMessageContaining("checksum")
        .hasMessageNotContaining("extra.json");
  }

  @Test
  void deletedPayloadIsRefusedNamingTheFileAsMissing() throws Exception {
    writeBundle();
    Files.delete(dir.resolve("extra.json"));

    assertThatThrownBy(() -> ModelBundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("extra.json")
        .hasMessageContaining("missing");
  }

  @Test
  void unknownFormatVersionIsRefused() throws Exception {
    writeBundle();
    Path manifestFile = dir.resolve(ModelBundle.MANIFEST);
    ObjectNode json = (ObjectNode) Json.MAPPER.readTree(manifestFile.toFile());
    json.put("format_version", 2);
    Json.MAPPER.writeValue(manifestFile.toFile(), json);

    assertThatThrownBy(() -> ModelBundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("unknown bundle format version 2")
        .hasMessageContaining(ModelBundle.MANIFEST);
  }

  @Test
  void manifestListingAFileOutsideTheBundleIsRefused() throws Exception {
    Path inner = Files.createDirectories(dir.resolve("bundle"));
    Files.writeString(dir.resolve("x"), "outside");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("../x", sha256Of("outside".getBytes(StandardCharsets.UTF_8)));
    BundleWriter.writeManifest(inner, manifest("recs", ModelKind.ALS).withFiles(files));

    assertThatThrownBy(() -> ModelBundle.open(inner))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("../x")
        .hasMessageContaining("leaves the bundle directory");
  }

  @Test
  void manifestListingAnAbsolutePathIsRefused() throws Exception {
    Path inner = Files.createDirectories(dir.resolve("bundle"));
    Path outside = Files.writeString(dir.resolve("abs"), "outside");
    BundleWriter.writeManifest(
        inner,
        manifest("recs", ModelKind.ALS)
            .withFiles(
                Map.of(outside.toString(), sha256Of("outside".getBytes(StandardCharsets.UTF_8)))));

    assertThatThrownBy(() -> ModelBundle.open(inner))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("leaves the bundle directory");
  }

  @Test
  void writerRefusesAPathOutsideTheBundle() {
    BundleWriter writer = new BundleWriter(dir);
    assertThatThrownBy(() -> writer.pathOf("../escape.bin"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("../escape.bin");
    assertThatThrownBy(() -> writer.pathOf(ModelBundle.MANIFEST))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("names the manifest");
  }

  @Test
  void missingManifestIsRefusedWithAClearMessage() {
    assertThatThrownBy(() -> ModelBundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("not a model bundle")
        .hasMessageContaining(dir.resolve(ModelBundle.MANIFEST).toString())
        .hasMessageContaining("missing");
  }

  @Test
  void malformedManifestIsRefusedNamingIt() throws Exception {
    Files.writeString(dir.resolve(ModelBundle.MANIFEST), "{\"format_version\": 1, \"name\": ");
    assertThatThrownBy(() -> ModelBundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("cannot read")
        .hasMessageContaining(ModelBundle.MANIFEST);
  }

  @Test
  void manifestWithUnknownFieldIsRefused() throws Exception {
    writeBundle();
    Path manifestFile = dir.resolve(ModelBundle.MANIFEST);
    ObjectNode json = (ObjectNode) Json.MAPPER.readTree(manifestFile.toFile());
    json.put("surprise", true);
    Json.MAPPER.writeValue(manifestFile.toFile(), json);

    assertThatThrownBy(() -> ModelBundle.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("surprise");
  }

  @Test
  void fileNotListedInManifestIsRefused() throws Exception {
    ModelBundle bundle = writeBundle();
    Files.writeString(dir.resolve("unlisted.txt"), "?");
    assertThatThrownBy(() -> bundle.file("unlisted.txt"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("unlisted.txt")
        .hasMessageContaining("als/payload.bin");
  }

  @Test
  void requireKindRefusesAnotherKindNamingBoth() throws Exception {
    ModelBundle bundle = writeBundle();
    assertThat(bundle.requireKind(ModelKind.GBT, ModelKind.ALS)).isSameAs(bundle);
    assertThatThrownBy(() -> bundle.requireKind(ModelKind.GBT, ModelKind.FM))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("als")
        .hasMessageContaining("gbt")
        .hasMessageContaining("fm");
  }

  @Test
  void manifestJsonRoundTripKeepsEveryField() throws Exception {
    Manifest original =
        manifest("ranker", ModelKind.GBT)
            .withVersion(7)
            .withFiles(Map.of("ranker/pipeline.json", "ab12"));
    String json = Json.MAPPER.writeValueAsString(original);

    assertThat(json)
        .contains(
            "\"format_version\"",
            "\"created_at\"",
            "\"spark_version\"",
            "\"training_tables\"",
            "\"kind\" : \"gbt\"");
    Manifest read = Json.MAPPER.readValue(json, Manifest.class);
    assertThat(read).isEqualTo(original);
    assertThat(read.version()).isEqualTo(7);
    assertThat(read.trainingTables()).containsEntry("lakerank.events", 12L);
  }

  @Test
  void manifestRefusesAnInvalidTimestamp() {
    assertThatThrownBy(
            () ->
                new Manifest(
                    1,
                    "m",
                    0,
                    ModelKind.ALS,
                    "yesterday",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .hasMessageContaining("yesterday");
  }

  @Test
  void unknownModelKindListsTheKnownOnes() {
    assertThat(ModelKind.parse("fm")).isEqualTo(ModelKind.FM);
    assertThatThrownBy(() -> ModelKind.parse("svm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("svm")
        .hasMessageContaining("logistic_regression");
  }

  @Test
  void evaluationJsonRoundTripKeepsCurvesAndKeys() throws Exception {
    Evaluation original =
        new Evaluation(
            Map.of("auc", 0.8125, "log_loss", 0.43),
            List.of(
                new Evaluation.Point(0.0, 0.0),
                new Evaluation.Point(0.25, 0.75),
                new Evaluation.Point(1.0, 1.0)),
            List.of(new Evaluation.Point(0.5, 0.9)),
            List.of(new Evaluation.CalibrationBin(0.0, 0.1, 120, 0.04, 0.05)),
            Map.of("ndcg", Map.of(5, 0.31, 10, 0.35)),
            Map.of("user:ctr_7d", 0.6),
            List.of("split by time"));
    BundleWriter writer = new BundleWriter(dir);
    writer.writeJson(Evaluation.FILE, original);
    ModelBundle bundle = writer.finish(manifest("ranker", ModelKind.GBT));

    String json = Files.readString(bundle.file(Evaluation.FILE));
    assertThat(json)
        .contains("\"at_k\"", "\"feature_importance\"", "\"mean_predicted\"", "\"observed_rate\"");
    Evaluation read = bundle.readJson(Evaluation.FILE, Evaluation.class);
    assertThat(read).isEqualTo(original);
    assertThat(read.atK().get("ndcg")).containsEntry(10, 0.35);
  }

  @Test
  void emptyEvaluationRoundTripsToEmptyCollections() throws Exception {
    Evaluation empty = new Evaluation(null, null, null, null, null, null, null);
    String json = Json.MAPPER.writeValueAsString(empty);
    assertThat(json.replaceAll("\\s", "")).isEqualTo("{}");
    assertThat(Json.MAPPER.readValue(json, Evaluation.class)).isEqualTo(empty);
  }
}
