package dev.lakerank.jobs.config;

import static dev.lakerank.jobs.config.Parsers.bool;
import static dev.lakerank.jobs.config.Parsers.date;
import static dev.lakerank.jobs.config.Parsers.doubleIn;
import static dev.lakerank.jobs.config.Parsers.durationAtLeast;
import static dev.lakerank.jobs.config.Parsers.intIn;
import static dev.lakerank.jobs.config.Parsers.longIn;
import static dev.lakerank.jobs.config.Parsers.nonBlank;
import static dev.lakerank.jobs.config.Parsers.oneOf;

import dev.lakerank.contract.messages.FeedbackMessage;
import dev.lakerank.contract.messages.PredictionMessage;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the jobs and the CLI, defined once. {@code lakerank config} prints them with
 * their values and where each value came from.
 */
public final class Settings {
  private Settings() {}

  public static final Setting<String> LAKEHOUSE_ROOT =
      new Setting<>(
          "lakehouse.root",
          "directory or Hadoop URI",
          "./lakehouse",
          "Root of the Delta tables: a local directory or a URI such as s3a://bucket/lakehouse.",
          nonBlank());
  public static final Setting<String> RAW_ROOT =
      new Setting<>(
          "raw.root",
          "directory or Hadoop URI",
          "./data/raw",
          "Where `generate` writes raw source files and `pipeline run` ingests them from.",
          nonBlank());
  public static final Setting<String> FEATURE_REPO =
      new Setting<>(
          "features.repo",
          "directory",
          "./feature-repo",
          "The Feast feature repository: feature_store.yaml and the feature definitions.",
          nonBlank());

  public static final Setting<String> FEATURES_DATA_ROOT =
      new Setting<>(
          "features.data-root",
          "directory, or `repo`",
          "repo",
          "Where the relative `registry` and `online_store.path` of feature_store.yaml resolve: `repo` for the "
              + "feature repository's directory (Feast's rule), or another directory (keeps test and demo runs apart).",
          nonBlank());
  public static final Setting<String> FEATURES_ONLINE_STORE =
      new Setting<>(
          "features.online-store",
          "`repo`, sqlite:<path> or redis:<host:port[,options]>",
          "repo",
          "The online store: `repo` for what feature_store.yaml says, or an override such as redis:127.0.0.1:6379.",
          Parsers.onlineStore());

  public static final Setting<String> REGISTRY_ROOT =
      new Setting<>(
          "registry.root",
          "directory",
          "./registry",
          "The model registry: a directory of model versions and their aliases (champion, challenger).",
          nonBlank());
  // The MLflow registry (docs/mlflow.md): chosen by registry.type; secrets best from MLflow's own
  // variables.
  public static final Setting<String> REGISTRY_TYPE =
      new Setting<>(
          "registry.type",
          "local or mlflow",
          "local",
          "Which model registry: `local`, the registry.root directory, or `mlflow`, an MLflow tracking server and "
              + "model registry (registry.mlflow.*).",
          oneOf(List.of("local", "mlflow")));
  public static final Setting<String> REGISTRY_MLFLOW_TRACKING_URI =
      new Setting<>(
          "registry.mlflow.tracking-uri",
          "http(s) URL, or empty",
          "",
          "The MLflow tracking server, such as http://127.0.0.1:5000 or https://<workspace>.cloud.databricks.com "
              + "(also read from MLFLOW_TRACKING_URI).",
          Parsers.any());
  public static final Setting<String> REGISTRY_MLFLOW_TOKEN =
      new Setting<>(
          "registry.mlflow.token",
          "secret, or empty",
          "",
          "Bearer token sent to MLflow, such as a Databricks personal access token; prefer MLFLOW_TRACKING_TOKEN to a file.",
          Parsers.any());
  public static final Setting<String> REGISTRY_MLFLOW_USERNAME =
      new Setting<>(
          "registry.mlflow.username",
          "text, or empty",
          "",
          "User for MLflow's basic authentication, with registry.mlflow.password (also read from MLFLOW_TRACKING_USERNAME).",
          Parsers.any());
  public static final Setting<String> REGISTRY_MLFLOW_PASSWORD =
      new Setting<>(
          "registry.mlflow.password",
          "secret, or empty",
          "",
          "Password for MLflow's basic authentication; prefer MLFLOW_TRACKING_PASSWORD to a file.",
          Parsers.any());
  public static final Setting<Boolean> REGISTRY_MLFLOW_INSECURE_TLS =
      new Setting<>(
          "registry.mlflow.insecure-tls",
          "true or false",
          "false",
          "Accept any TLS certificate and host name from the MLflow server (MLFLOW_TRACKING_INSECURE_TLS); for test "
              + "servers only, otherwise add the CA to the JVM's trust store.",
          bool());
  public static final Setting<String> REGISTRY_MLFLOW_EXPERIMENT_PREFIX =
      new Setting<>(
          "registry.mlflow.experiment-prefix",
          "text",
          "lakerank-",
          "A model's runs go to the experiment <prefix><model>; on Databricks a workspace path such as "
              + "/Users/you@example.com/lakerank-.",
          Parsers.any());
  public static final Setting<String> REGISTRY_MLFLOW_CACHE =
      new Setting<>(
          "registry.mlflow.cache",
          "directory",
          "./mlflow-cache",
          "Where bundles downloaded from MLflow are kept, verified, one directory per server, model and version.",
          nonBlank());
  public static final Setting<Duration> REGISTRY_MLFLOW_TIMEOUT =
      new Setting<>(
          "registry.mlflow.timeout",
          "duration of at least 1s",
          "60s",
          "Connect and read timeout of artifact uploads and downloads.",
          durationAtLeast(Duration.ofSeconds(1)));

  /** Settings whose values `lakerank config` does not print. */
  public static final java.util.Set<Setting<?>> SECRETS =
      java.util.Set.of(REGISTRY_MLFLOW_TOKEN, REGISTRY_MLFLOW_PASSWORD);

  /** MLflow's own environment variables, read as these settings (below the LAKERANK_* ones). */
  public static final java.util.Map<String, Setting<?>> MLFLOW_VARIABLES =
      java.util.Map.of(
          "MLFLOW_TRACKING_URI", REGISTRY_MLFLOW_TRACKING_URI,
          "MLFLOW_TRACKING_TOKEN", REGISTRY_MLFLOW_TOKEN,
          "MLFLOW_TRACKING_USERNAME", REGISTRY_MLFLOW_USERNAME,
          "MLFLOW_TRACKING_PASSWORD", REGISTRY_MLFLOW_PASSWORD,
          "MLFLOW_TRACKING_INSECURE_TLS", REGISTRY_MLFLOW_INSECURE_TLS);

  public static final Setting<String> REPORTS_ROOT =
      new Setting<>(
          "reports.root",
          "directory",
          "./reports",
          "Where `lakerank report` writes its HTML pages.",
          nonBlank());

  public static final Setting<String> SPARK_MASTER =
      new Setting<>(
          "spark.master",
          "Spark master URL",
          "local[*]",
          "Spark master when the jobs are not launched by spark-submit (spark-submit's wins).",
          nonBlank());
  public static final Setting<Integer> SPARK_SHUFFLE_PARTITIONS =
      new Setting<>(
          "spark.shuffle-partitions",
          "whole number in [1, 100000]",
          "8",
          "Partitions of shuffles (spark.sql.shuffle.partitions); about 2-4 per core.",
          intIn(1, 100_000));
  public static final Setting<Boolean> SPARK_UI =
      new Setting<>(
          "spark.ui",
          "true or false",
          "false",
          "Start Spark's web UI (http://localhost:4040) while a job runs.",
          bool());
  public static final Setting<String> SPARK_DRIVER_HOST =
      new Setting<>(
          "spark.driver-host",
          "host name or address",
          "127.0.0.1",
          "Address the driver binds to in local mode.",
          nonBlank());

  public static final Setting<Long> GENERATE_USERS =
      new Setting<>(
          "generate.users",
          "whole number in [1, 1000000000]",
          "10000",
          "Number of users in the synthetic data set.",
          longIn(1, 1_000_000_000L));
  public static final Setting<Long> GENERATE_ITEMS =
      new Setting<>(
          "generate.items",
          "whole number in [1, 1000000000]",
          "2000",
          "Number of items in the synthetic catalogue.",
          longIn(1, 1_000_000_000L));
  public static final Setting<Long> GENERATE_EVENTS =
      new Setting<>(
          "generate.events",
          "whole number in [1, 100000000000]",
          "1000000",
          "Number of impressions; clicks, purchases and ratings come on top of them.",
          longIn(1, 100_000_000_000L));
  public static final Setting<Integer> GENERATE_DAYS =
      new Setting<>(
          "generate.days",
          "whole number in [1, 3650]",
          "30",
          "Days the events span.",
          intIn(1, 3650));
  public static final Setting<LocalDate> GENERATE_START_DATE =
      new Setting<>(
          "generate.start-date",
          "date (yyyy-mm-dd)",
          "2026-01-01",
          "First day of events (UTC).",
          date());
  public static final Setting<Long> GENERATE_SEED =
      new Setting<>(
          "generate.seed",
          "whole number",
          "42",
          "Seed: the same seed and settings give the same files, byte for byte.",
          longIn(Long.MIN_VALUE, Long.MAX_VALUE));
  public static final Setting<Integer> GENERATE_CATEGORIES =
      new Setting<>(
          "generate.categories",
          "whole number in [1, 1000]",
          "20",
          "Number of item categories.",
          intIn(1, 1000));
  public static final Setting<Integer> GENERATE_LATENT_DIM =
      new Setting<>(
          "generate.latent-dim",
          "whole number in [1, 64]",
          "8",
          "Dimension of the hidden user and item factors.",
          intIn(1, 64));
  public static final Setting<Double> GENERATE_ITEM_ZIPF =
      new Setting<>(
          "generate.item-zipf",
          "number in [0, 3]",
          "1.05",
          "Zipf exponent of item popularity (0 = uniform).",
          doubleIn(0, 3));
  public static final Setting<Double> GENERATE_USER_ZIPF =
      new Setting<>(
          "generate.user-zipf",
          "number in [0, 3]",
          "0.8",
          "Zipf exponent of user activity (0 = every user equally active).",
          doubleIn(0, 3));
  public static final Setting<Double> GENERATE_RATING_FRACTION =
      new Setting<>(
          "generate.rating-fraction",
          "number in [0, 1]",
          "0.3",
          "Share of users who give explicit 1-5 ratings to some items they clicked.",
          doubleIn(0, 1));
  public static final Setting<Double> GENERATE_DIRTY_FRACTION =
      new Setting<>(
          "generate.dirty-fraction",
          "number in [0, 0.5]",
          "0.005",
          "Share of events an upstream bug corrupts (missing ids, bad types, unknown items, future "
              + "times, broken JSON, ...).",
          doubleIn(0, 0.5));
  public static final Setting<Double> GENERATE_DUPLICATE_FRACTION =
      new Setting<>(
          "generate.duplicate-fraction",
          "number in [0, 0.5]",
          "0.002",
          "Share of events delivered twice with the same event id (at-least-once upstream).",
          doubleIn(0, 0.5));
  public static final Setting<Integer> GENERATE_DRIFT_DAY =
      new Setting<>(
          "generate.drift-day",
          "whole number in [-1, 3650]",
          "-1",
          "Day (0-based) from which users' tastes change; -1 for no drift.",
          intIn(-1, 3650));

  public static final Setting<Duration> TRANSFORM_FUTURE_TOLERANCE =
      new Setting<>(
          "transform.future-tolerance",
          "duration (30s, 5m, 1h)",
          "5m",
          "How far past the current time an event time may be before it is quarantined as future "
              + "(clock skew of upstream hosts).",
          durationAtLeast(Duration.ZERO));

  public static final Setting<Duration> MAINTAIN_VACUUM_RETENTION =
      new Setting<>(
          "maintain.vacuum-retention",
          "duration of at least 1h",
          "168h",
          "How long VACUUM keeps files no longer in a table; shorter than 168h breaks time travel "
              + "and readers that started earlier, so `maintain` asks for --unsafe-retention.",
          durationAtLeast(Duration.ofHours(1)));

  // Streaming: Kafka and the Structured Streaming queries (the streaming module)

  public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS =
      new Setting<>(
          "kafka.bootstrap-servers",
          "host:port[,host:port...]",
          "127.0.0.1:9092",
          "The Kafka brokers of the streaming jobs and `produce`; `kafka start` listens on the first one's port. "
              + "Client options such as security.protocol go under kafka.conf.",
          Parsers.hostPorts());
  public static final Setting<String> KAFKA_DATA_DIR =
      new Setting<>(
          "kafka.data-dir",
          "directory",
          "./data/kafka",
          "Where the in-process broker of `lakerank kafka start` keeps its log; it survives restarts.",
          nonBlank());
  public static final Setting<Integer> KAFKA_PARTITIONS =
      new Setting<>(
          "kafka.partitions",
          "whole number in [1, 1000]",
          "2",
          "Partitions of the topics `kafka start` creates: each micro-batch reads them with one task each, so about "
              + "one per core of the machine that runs the streams.",
          intIn(1, 1000));
  public static final Setting<String> STREAM_EVENTS_TOPIC =
      new Setting<>(
          "stream.events-topic",
          "Kafka topic name",
          "events",
          "The topic of interaction events (JSON, the fields of a line of the events log).",
          Parsers.topic());
  public static final Setting<String> STREAM_DEAD_LETTER_TOPIC =
      new Setting<>(
          "stream.dead-letter-topic",
          "Kafka topic name",
          "events-dead-letter",
          "Where `stream ingest` sends every rejected message, with its rule and reason.",
          Parsers.topic());
  public static final Setting<String> STREAM_PREDICTIONS_TOPIC =
      new Setting<>(
          "stream.predictions-topic",
          "Kafka topic name",
          PredictionMessage.TOPIC,
          "The serving API's prediction log (one JSON message per answer).",
          Parsers.topic());
  public static final Setting<String> STREAM_FEEDBACK_TOPIC =
      new Setting<>(
          "stream.feedback-topic",
          "Kafka topic name",
          FeedbackMessage.TOPIC,
          "The serving API's feedback log (one JSON message per feedback call).",
          Parsers.topic());
  public static final Setting<String> STREAM_CHECKPOINTS =
      new Setting<>(
          "stream.checkpoints",
          "directory or Hadoop URI, or `lakehouse`",
          "lakehouse",
          "Where the streaming queries keep their checkpoints (offsets and state): `lakehouse` for "
              + "<lakehouse.root>/_checkpoints. A query restarted with its checkpoint resumes exactly where it stopped.",
          nonBlank());
  public static final Setting<Duration> STREAM_INGEST_TRIGGER =
      new Setting<>(
          "stream.ingest-trigger",
          "duration (0s, 500ms, 2s)",
          "1s",
          "How often `stream ingest` commits a micro-batch to bronze; 0s runs the next batch as soon as one ends. "
              + "Longer means fewer, larger Delta commits.",
          durationAtLeast(Duration.ZERO));
  public static final Setting<Duration> STREAM_FEATURES_TRIGGER =
      new Setting<>(
          "stream.features-trigger",
          "duration (0s, 500ms, 2s)",
          "0s",
          "How often `stream features` pushes to the online store; 0s (the default) as soon as the last push ends, "
              + "for the lowest event-to-feature latency.",
          durationAtLeast(Duration.ZERO));
  public static final Setting<Duration> STREAM_LOGS_TRIGGER =
      new Setting<>(
          "stream.logs-trigger",
          "duration (0s, 500ms, 2s)",
          "5s",
          "How often `stream logs` commits the prediction and feedback logs to Delta.",
          durationAtLeast(Duration.ZERO));
  public static final Setting<Duration> STREAM_WATERMARK =
      new Setting<>(
          "stream.watermark",
          "duration (30s, 10m, 1h)",
          "10m",
          "How late an event may arrive and still count in the real-time features' windows; an event older than the "
              + "newest event time minus this is left out of them (it still reaches bronze).",
          durationAtLeast(Duration.ZERO));
  public static final Setting<Long> STREAM_MAX_OFFSETS_PER_TRIGGER =
      new Setting<>(
          "stream.max-offsets-per-trigger",
          "whole number in [1, 1000000000]",
          "200000",
          "The most messages one micro-batch reads, so that catching up after a stop goes in bounded steps.",
          longIn(1, 1_000_000_000L));
  public static final Setting<String> STREAM_STARTING_OFFSETS =
      new Setting<>(
          "stream.starting-offsets",
          "earliest or latest",
          "earliest",
          "Where a query without a checkpoint starts reading its topics; with a checkpoint it resumes from there.",
          oneOf(List.of("earliest", "latest")));
  public static final Setting<Integer> STREAM_SHUFFLE_PARTITIONS =
      new Setting<>(
          "stream.shuffle-partitions",
          "whole number in [1, 10000]",
          "2",
          "Partitions of the streaming queries' shuffles and state, about one per core: each micro-batch runs a task "
              + "per partition, so fewer means lower latency on one machine. A query keeps the number it started with "
              + "in its checkpoint.",
          intIn(1, 10_000));
  public static final Setting<Duration> STREAM_DIMENSION_REFRESH =
      new Setting<>(
          "stream.dimension-refresh",
          "duration of at least 1s",
          "1m",
          "How often the streaming queries re-read silver.users and silver.items (known-id checks, item categories); "
              + "a user or item new in silver is known to them after at most this long.",
          durationAtLeast(Duration.ofSeconds(1)));
  public static final Setting<Boolean> STREAM_FAIL_ON_DATA_LOSS =
      new Setting<>(
          "stream.fail-on-data-loss",
          "true or false",
          "true",
          "Stop a query when messages it has not read are gone from Kafka (retention, a recreated topic) instead "
              + "of skipping them; false accepts the loss.",
          bool());

  public static final Setting<String> CODE_VERSION =
      new Setting<>(
          "code.version",
          "text",
          Optional.ofNullable(Settings.class.getPackage().getImplementationVersion())
              .orElse("unknown"),
          "The code version recorded with every trained model (ml.training_runs, the bundle's lineage): "
              + "bin/lakerank sets LAKERANK_CODE_VERSION to the commit; by default the jar's version.",
          nonBlank());

  public static final Setting<String> OUTPUT_PROGRESS =
      new Setting<>(
          "output.progress",
          "auto, always or never",
          "auto",
          "Progress lines for long steps: auto shows them when stderr is a terminal.",
          oneOf(List.of("auto", "always", "never")));

  /** Every setting, in the order {@code lakerank config} lists them. */
  public static final List<Setting<?>> ALL =
      List.of(
          LAKEHOUSE_ROOT,
          RAW_ROOT,
          FEATURE_REPO,
          FEATURES_DATA_ROOT,
          FEATURES_ONLINE_STORE,
          REGISTRY_ROOT,
          REPORTS_ROOT,
          REGISTRY_TYPE,
          REGISTRY_MLFLOW_TRACKING_URI,
          REGISTRY_MLFLOW_TOKEN,
          REGISTRY_MLFLOW_USERNAME,
          REGISTRY_MLFLOW_PASSWORD,
          REGISTRY_MLFLOW_INSECURE_TLS,
          REGISTRY_MLFLOW_EXPERIMENT_PREFIX,
          REGISTRY_MLFLOW_CACHE,
          REGISTRY_MLFLOW_TIMEOUT,
          SPARK_MASTER,
          SPARK_SHUFFLE_PARTITIONS,
          SPARK_UI,
          SPARK_DRIVER_HOST,
          GENERATE_USERS,
          GENERATE_ITEMS,
          GENERATE_EVENTS,
          GENERATE_DAYS,
          GENERATE_START_DATE,
          GENERATE_SEED,
          GENERATE_CATEGORIES,
          GENERATE_LATENT_DIM,
          GENERATE_ITEM_ZIPF,
          GENERATE_USER_ZIPF,
          GENERATE_RATING_FRACTION,
          GENERATE_DIRTY_FRACTION,
          GENERATE_DUPLICATE_FRACTION,
          GENERATE_DRIFT_DAY,
          TRANSFORM_FUTURE_TOLERANCE,
          MAINTAIN_VACUUM_RETENTION,
          KAFKA_BOOTSTRAP_SERVERS,
          KAFKA_DATA_DIR,
          KAFKA_PARTITIONS,
          STREAM_EVENTS_TOPIC,
          STREAM_DEAD_LETTER_TOPIC,
          STREAM_PREDICTIONS_TOPIC,
          STREAM_FEEDBACK_TOPIC,
          STREAM_CHECKPOINTS,
          STREAM_INGEST_TRIGGER,
          STREAM_FEATURES_TRIGGER,
          STREAM_LOGS_TRIGGER,
          STREAM_WATERMARK,
          STREAM_MAX_OFFSETS_PER_TRIGGER,
          STREAM_STARTING_OFFSETS,
          STREAM_SHUFFLE_PARTITIONS,
          STREAM_DIMENSION_REFRESH,
          STREAM_FAIL_ON_DATA_LOSS,
          CODE_VERSION,
          OUTPUT_PROGRESS);

  /** Keys under this prefix in {@code lakerank.yaml} pass to Spark verbatim. */
  public static final String SPARK_CONF_PREFIX = "spark.conf.";

  /**
   * Keys under this prefix pass to every Kafka client verbatim (security.protocol,
   * sasl.jaas.config, ssl.truststore.location, ...).
   */
  public static final String KAFKA_CONF_PREFIX = "kafka.conf.";
}
