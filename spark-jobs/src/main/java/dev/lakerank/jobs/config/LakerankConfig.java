package dev.lakerank.jobs.config;

import static java.util.Objects.requireNonNull;

import dev.lakerank.jobs.generate.GenerateSettings;
import dev.lakerank.model.registry.mlflow.MlflowRegistrySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting, typed and validated, built once by {@link ConfigLoader} and passed down through
 * constructors.
 */
public record LakerankConfig(
    Locations locations,
    SparkSettings spark,
    GenerateSettings generate,
    Duration transformFutureTolerance,
    Duration vacuumRetention,
    StreamSettings stream,
    Progress progress,
    String codeVersion,
    ResolvedSettings resolved) {
  public LakerankConfig {
    requireNonNull(locations, "locations");
    requireNonNull(spark, "spark");
    requireNonNull(generate, "generate");
    requireNonNull(transformFutureTolerance, "transformFutureTolerance");
    requireNonNull(vacuumRetention, "vacuumRetention");
    requireNonNull(stream, "stream");
    requireNonNull(progress, "progress");
    requireNonNull(codeVersion, "codeVersion");
    requireNonNull(resolved, "resolved");
  }

  /** Where things are. */
  /**
   * @param featureData where relative feature-store paths resolve, or null for the feature
   *     repository
   * @param onlineStore {@code repo}, {@code sqlite:<path>} or {@code redis:<connection string>}
   */
  public record Locations(
      String lakehouseRoot,
      String rawRoot,
      Path featureRepo,
      Path featureData,
      String onlineStore,
      Path registryRoot,
      Path reportsRoot) {
    public Locations {
      requireNonNull(registryRoot, "registryRoot");
      requireNonNull(reportsRoot, "reportsRoot");
      requireNonNull(lakehouseRoot, "lakehouseRoot");
      requireNonNull(rawRoot, "rawRoot");
      requireNonNull(featureRepo, "featureRepo");
    }

    /** The feature store these locations name ({@code features.*} settings applied). */
    public dev.lakerank.featurestore.FeatureStoreLocation featureStore() {
      return dev.lakerank.featurestore.FeatureStoreLocation.of(
          featureRepo, featureData, onlineStore);
    }
  }

  /** How to build the SparkSession. */
  public record SparkSettings(
      String master,
      int shufflePartitions,
      boolean ui,
      String driverHost,
      Map<String, String> extraConf) {
    public SparkSettings {
      requireNonNull(master, "master");
      requireNonNull(driverHost, "driverHost");
      extraConf = Map.copyOf(extraConf);
    }
  }

  /**
   * Kafka and the streaming queries ({@code kafka.*}, {@code stream.*}).
   *
   * @param kafkaConf client properties passed to every Kafka client verbatim ({@code kafka.conf.*})
   * @param checkpoints the root of the queries' checkpoint directories, resolved
   * @param startingOffsets {@code earliest} or {@code latest}
   */
  public record StreamSettings(
      String bootstrapServers,
      Map<String, String> kafkaConf,
      Path kafkaDataDir,
      int partitions,
      String eventsTopic,
      String deadLetterTopic,
      String predictionsTopic,
      String feedbackTopic,
      String checkpoints,
      Duration ingestTrigger,
      Duration featuresTrigger,
      Duration logsTrigger,
      Duration watermark,
      long maxOffsetsPerTrigger,
      String startingOffsets,
      int shufflePartitions,
      Duration dimensionRefresh,
      boolean failOnDataLoss) {
    public StreamSettings {
      requireNonNull(bootstrapServers, "bootstrapServers");
      kafkaConf = Map.copyOf(kafkaConf);
      requireNonNull(kafkaDataDir, "kafkaDataDir");
      requireNonNull(eventsTopic, "eventsTopic");
      requireNonNull(deadLetterTopic, "deadLetterTopic");
      requireNonNull(predictionsTopic, "predictionsTopic");
      requireNonNull(feedbackTopic, "feedbackTopic");
      requireNonNull(checkpoints, "checkpoints");
      requireNonNull(ingestTrigger, "ingestTrigger");
      requireNonNull(featuresTrigger, "featuresTrigger");
      requireNonNull(logsTrigger, "logsTrigger");
      requireNonNull(watermark, "watermark");
      requireNonNull(startingOffsets, "startingOffsets");
      requireNonNull(dimensionRefresh, "dimensionRefresh");
    }

    /** Where the checkpoint of the query named {@code query} lives. */
    public String checkpoint(String query) {
      return checkpoints + "/" + query;
    }
  }

  /**
   * The MLflow registry's settings when {@code registry.type} is {@code mlflow}; empty for the
   * local registry. Refuses a bad combination (no tracking URI, half a basic login), naming the
   * setting.
   */
  public Optional<MlflowRegistrySettings> mlflowRegistry() {
    if (!resolved.get(Settings.REGISTRY_TYPE).equals("mlflow")) {
      return Optional.empty();
    }
    return Optional.of(
        MlflowRegistrySettings.of(
            "registry.mlflow.",
            resolved.get(Settings.REGISTRY_MLFLOW_TRACKING_URI),
            resolved.get(Settings.REGISTRY_MLFLOW_TOKEN),
            resolved.get(Settings.REGISTRY_MLFLOW_USERNAME),
            resolved.get(Settings.REGISTRY_MLFLOW_PASSWORD),
            resolved.get(Settings.REGISTRY_MLFLOW_INSECURE_TLS),
            resolved.get(Settings.REGISTRY_MLFLOW_EXPERIMENT_PREFIX),
            Path.of(resolved.get(Settings.REGISTRY_MLFLOW_CACHE)),
            resolved.get(Settings.REGISTRY_MLFLOW_TIMEOUT)));
  }

  /** When progress lines are shown. */
  public enum Progress {
    AUTO,
    ALWAYS,
    NEVER
  }

  static LakerankConfig from(ResolvedSettings s) {
    return new LakerankConfig(
        new Locations(
            s.get(Settings.LAKEHOUSE_ROOT),
            s.get(Settings.RAW_ROOT),
            Path.of(s.get(Settings.FEATURE_REPO)),
            s.get(Settings.FEATURES_DATA_ROOT).equals("repo")
                ? null
                : Path.of(s.get(Settings.FEATURES_DATA_ROOT)),
            s.get(Settings.FEATURES_ONLINE_STORE),
            Path.of(s.get(Settings.REGISTRY_ROOT)),
            Path.of(s.get(Settings.REPORTS_ROOT))),
        new SparkSettings(
            s.get(Settings.SPARK_MASTER),
            s.get(Settings.SPARK_SHUFFLE_PARTITIONS),
            s.get(Settings.SPARK_UI),
            s.get(Settings.SPARK_DRIVER_HOST),
            s.sparkConf()),
        new GenerateSettings(
            s.get(Settings.GENERATE_USERS),
            s.get(Settings.GENERATE_ITEMS),
            s.get(Settings.GENERATE_EVENTS),
            s.get(Settings.GENERATE_DAYS),
            s.get(Settings.GENERATE_START_DATE),
            s.get(Settings.GENERATE_SEED),
            s.get(Settings.GENERATE_CATEGORIES),
            s.get(Settings.GENERATE_LATENT_DIM),
            s.get(Settings.GENERATE_ITEM_ZIPF),
            s.get(Settings.GENERATE_USER_ZIPF),
            s.get(Settings.GENERATE_RATING_FRACTION),
            s.get(Settings.GENERATE_DIRTY_FRACTION),
            s.get(Settings.GENERATE_DUPLICATE_FRACTION),
            s.get(Settings.GENERATE_DRIFT_DAY)),
        s.get(Settings.TRANSFORM_FUTURE_TOLERANCE),
        s.get(Settings.MAINTAIN_VACUUM_RETENTION),
        new StreamSettings(
            s.get(Settings.KAFKA_BOOTSTRAP_SERVERS),
            s.kafkaConf(),
            Path.of(s.get(Settings.KAFKA_DATA_DIR)),
            s.get(Settings.KAFKA_PARTITIONS),
            s.get(Settings.STREAM_EVENTS_TOPIC),
            s.get(Settings.STREAM_DEAD_LETTER_TOPIC),
            s.get(Settings.STREAM_PREDICTIONS_TOPIC),
            s.get(Settings.STREAM_FEEDBACK_TOPIC),
            s.get(Settings.STREAM_CHECKPOINTS).equals("lakehouse")
                ? dev.lakerank.jobs.catalog.Lakehouse.normalize(s.get(Settings.LAKEHOUSE_ROOT))
                    + "/_checkpoints"
                : dev.lakerank.jobs.catalog.Lakehouse.normalize(s.get(Settings.STREAM_CHECKPOINTS)),
            s.get(Settings.STREAM_INGEST_TRIGGER),
            s.get(Settings.STREAM_FEATURES_TRIGGER),
            s.get(Settings.STREAM_LOGS_TRIGGER),
            s.get(Settings.STREAM_WATERMARK),
            s.get(Settings.STREAM_MAX_OFFSETS_PER_TRIGGER),
            s.get(Settings.STREAM_STARTING_OFFSETS),
            s.get(Settings.STREAM_SHUFFLE_PARTITIONS),
            s.get(Settings.STREAM_DIMENSION_REFRESH),
            s.get(Settings.STREAM_FAIL_ON_DATA_LOSS)),
        Progress.valueOf(s.get(Settings.OUTPUT_PROGRESS).toUpperCase(java.util.Locale.ROOT)),
        s.get(Settings.CODE_VERSION),
        s);
  }
}
