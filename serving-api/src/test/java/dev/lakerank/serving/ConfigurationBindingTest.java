package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.serving.config.DatabaseLogConfiguration;
import dev.lakerank.serving.config.FeatureConfiguration;
import dev.lakerank.serving.config.FeatureSourceKind;
import dev.lakerank.serving.config.KafkaLogConfiguration;
import dev.lakerank.serving.config.MlflowConfiguration;
import dev.lakerank.serving.config.PredictionLogConfiguration;
import dev.lakerank.serving.config.RegistryConfiguration;
import dev.lakerank.serving.config.RegistryType;
import dev.lakerank.serving.config.ServingConfiguration;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every serving setting binds from its key, with its default when unset (as Trino's {@code
 * TestDeltaLakeConfig} checks its configs), and a value out of range or not among the choices stops
 * the start with a message that names the setting. The contexts read features from a Feast server
 * that is never called ({@code feast-grpc} connects lazily) so that no online store is needed.
 */
class ConfigurationBindingTest {
  /** The project's feature repository, from the module directory the tests run in. */
  private static final Path REPO = Path.of("../feature-repo").toAbsolutePath().normalize();

  @TempDir Path directory;

  /** What a context needs to start without an online store or a database file. */
  private Map<String, Object> minimal() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("micronaut.server.port", -1);
    properties.put("lakerank.features.repo", REPO.toString());
    properties.put("lakerank.features.source", "feast-grpc");
    properties.put(
        "datasources.default.url",
        "jdbc:h2:mem:config-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
    return properties;
  }

  @Test
  void everySettingHasItsDefault() {
    try (ApplicationContext context = ApplicationContext.run(minimal())) {
      assertThat(context.getBean(ServingConfiguration.class))
          .isEqualTo(
              new ServingConfiguration(
                  "registry",
                  "recommender",
                  "ranker",
                  "champion",
                  200,
                  null,
                  Duration.ofSeconds(10)));
      FeatureConfiguration features = context.getBean(FeatureConfiguration.class);
      assertThat(features.dataRoot()).isNull();
      assertThat(features.onlineStore()).isEqualTo("repo");
      assertThat(features.feastHost()).isEqualTo("127.0.0.1");
      assertThat(features.feastPort()).isEqualTo(6566);
      assertThat(features.connections()).isEqualTo(4);
      assertThat(features.asOf()).isNull();
      assertThat(features.cacheKeys()).containsExactly("item_id");
      assertThat(features.cacheTtl()).isEqualTo(Duration.ofSeconds(60));
      assertThat(features.streamCacheTtl()).isEqualTo(Duration.ofSeconds(1));
      assertThat(features.cacheRows()).isEqualTo(1_000_000);
      assertThat(context.getBean(RegistryConfiguration.class).type()).isEqualTo(RegistryType.LOCAL);
      MlflowConfiguration mlflow = context.getBean(MlflowConfiguration.class);
      assertThat(mlflow.insecureTls()).isFalse();
      assertThat(mlflow.experimentPrefix()).isEqualTo("lakerank-");
      assertThat(mlflow.cache()).isEqualTo("mlflow-cache");
      assertThat(mlflow.timeout()).isEqualTo(Duration.ofSeconds(60));
      assertThat(context.getBean(PredictionLogConfiguration.class))
          .isEqualTo(new PredictionLogConfiguration(true, 10_000, Duration.ofSeconds(10)));
      assertThat(context.getBean(DatabaseLogConfiguration.class).enabled()).isTrue();
      KafkaLogConfiguration kafka = context.getBean(KafkaLogConfiguration.class);
      assertThat(kafka.bootstrapServers()).isEmpty();
      assertThat(kafka.configured()).isFalse();
      assertThat(kafka.predictionsTopic()).isEqualTo("predictions");
      assertThat(kafka.feedbackTopic()).isEqualTo("feedback");
      assertThat(kafka.properties()).isEmpty();
    }
  }

  @Test
  void theFeatureRepositoryAndSourceHaveTheirDefaults() throws Exception {
    // without a repository, the default one (feature-repo under the working directory) is read
    Map<String, Object> noRepo = minimal();
    noRepo.remove("lakerank.features.repo");
    assertThatThrownBy(() -> ApplicationContext.run(noRepo).close())
        .hasStackTraceContaining(
            "lakerank.features.repo is " + Path.of("feature-repo").toAbsolutePath());
    // without a source, the online store is read here: it needs the applied registry
    Map<String, Object> noSource = minimal();
    noSource.remove("lakerank.features.source");
    Path empty = Files.createDirectories(directory.resolve("empty"));
    noSource.put("lakerank.features.data-root", empty.toString());
    assertThatThrownBy(() -> ApplicationContext.run(noSource).close())
        .hasStackTraceContaining("no feature registry at " + empty);
  }

  @Test
  void everySettingBindsFromItsKey() {
    Map<String, Object> properties = minimal();
    properties.put("lakerank.serving.registry", directory.toString());
    properties.put("lakerank.serving.recommender", "als");
    properties.put("lakerank.serving.ranker", "gbt");
    properties.put("lakerank.serving.alias", "challenger");
    properties.put("lakerank.serving.candidates", 50);
    properties.put("lakerank.serving.admin-token", "s3cret");
    properties.put("lakerank.serving.poll-interval", "2m");
    properties.put("lakerank.features.data-root", "/data");
    properties.put("lakerank.features.online-store", "redis:127.0.0.1:6380");
    properties.put("lakerank.features.feast-host", "feast.internal");
    properties.put("lakerank.features.feast-port", 7000);
    properties.put("lakerank.features.connections", 8);
    properties.put("lakerank.features.as-of", "2026-02-02T00:00:00Z");
    properties.put("lakerank.features.cache-keys", List.of("item_id", "user_id"));
    properties.put("lakerank.features.cache-ttl", "5m");
    properties.put("lakerank.features.stream-cache-ttl", "0s");
    properties.put("lakerank.features.cache-rows", 10);
    properties.put("lakerank.registry.mlflow.tracking-uri", "https://mlflow.internal");
    properties.put("lakerank.registry.mlflow.token", "t0ken");
    properties.put("lakerank.registry.mlflow.username", "me");
    properties.put("lakerank.registry.mlflow.password", "pw");
    properties.put("lakerank.registry.mlflow.insecure-tls", true);
    properties.put("lakerank.registry.mlflow.experiment-prefix", "team-");
    properties.put("lakerank.registry.mlflow.cache", "/cache");
    properties.put("lakerank.registry.mlflow.timeout", "5s");
    properties.put("lakerank.prediction-log.enabled", false);
    properties.put("lakerank.prediction-log.buffer", 5);
    properties.put("lakerank.prediction-log.close-timeout", "1s");
    properties.put("lakerank.prediction-log.database.enabled", false);
    properties.put("lakerank.prediction-log.kafka.bootstrap-servers", "k1:9092,k2:9092");
    properties.put("lakerank.prediction-log.kafka.predictions-topic", "answers");
    properties.put("lakerank.prediction-log.kafka.feedback-topic", "clicks");
    properties.put("lakerank.prediction-log.kafka.properties.security.protocol", "SASL_SSL");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      assertThat(context.getBean(ServingConfiguration.class))
          .isEqualTo(
              new ServingConfiguration(
                  directory.toString(),
                  "als",
                  "gbt",
                  "challenger",
                  50,
                  "s3cret",
                  Duration.ofMinutes(2)));
      assertThat(context.getBean(FeatureConfiguration.class))
          .isEqualTo(
              new FeatureConfiguration(
                  REPO.toString(),
                  "/data",
                  "redis:127.0.0.1:6380",
                  FeatureSourceKind.FEAST_GRPC,
                  "feast.internal",
                  7000,
                  8,
                  "2026-02-02T00:00:00Z",
                  List.of("item_id", "user_id"),
                  Duration.ofMinutes(5),
                  Duration.ZERO,
                  10));
      assertThat(context.getBean(MlflowConfiguration.class))
          .isEqualTo(
              new MlflowConfiguration(
                  "https://mlflow.internal",
                  "t0ken",
                  "me",
                  "pw",
                  true,
                  "team-",
                  "/cache",
                  Duration.ofSeconds(5)));
      assertThat(context.getBean(PredictionLogConfiguration.class))
          .isEqualTo(new PredictionLogConfiguration(false, 5, Duration.ofSeconds(1)));
      assertThat(context.getBean(DatabaseLogConfiguration.class).enabled()).isFalse();
      assertThat(context.getBean(KafkaLogConfiguration.class))
          .isEqualTo(
              new KafkaLogConfiguration(
                  "k1:9092,k2:9092", "answers", "clicks", Map.of("security.protocol", "SASL_SSL")));
    }
  }

  @Test
  void theRegistryTypeBindsFromItsKey() {
    Map<String, Object> properties = minimal();
    properties.put("lakerank.registry.type", "MLflow");
    properties.put("lakerank.registry.mlflow.tracking-uri", "http://127.0.0.1:1");
    properties.put("lakerank.registry.mlflow.cache", directory.resolve("cache").toString());
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      assertThat(context.getBean(RegistryConfiguration.class).type())
          .isEqualTo(RegistryType.MLFLOW);
    }
  }

  @Test
  void aValueOutOfRangeStopsTheStartNamingTheSetting() {
    Map<String, Object> properties = minimal();
    properties.put("lakerank.serving.candidates", 0);
    assertThatThrownBy(() -> ApplicationContext.run(properties).close())
        .hasStackTraceContaining("candidates")
        .hasStackTraceContaining("must be greater than or equal to 1");
  }

  @Test
  void aChoiceNotAmongTheChoicesStopsTheStartNamingThem() {
    Map<String, Object> badSource = minimal();
    badSource.put("lakerank.features.source", "grpc");
    assertThatThrownBy(() -> ApplicationContext.run(badSource).close())
        .hasStackTraceContaining(
            "lakerank.features.source is 'grpc'; use in-process (the online store, read here) or "
                + "feast-grpc (a Feast feature server)");
    Map<String, Object> badRegistry = minimal();
    badRegistry.put("lakerank.registry.type", "s3");
    assertThatThrownBy(() -> ApplicationContext.run(badRegistry).close())
        .hasStackTraceContaining("setting `lakerank.registry.type` is `s3`");
  }

  @Test
  void theMlflowSecretsNeverShowInItsText() {
    MlflowConfiguration mlflow =
        new MlflowConfiguration(
            "https://mlflow", "t0ken", "me", "pw", false, "lakerank-", "c", Duration.ofSeconds(1));
    assertThat(mlflow.toString()).doesNotContain("t0ken", "pw").contains("(hidden)");
  }
}
