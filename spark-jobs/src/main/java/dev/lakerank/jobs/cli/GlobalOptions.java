package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes, before or after its name. */
final class GlobalOptions {
  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Configuration file (default: ./lakerank.yaml if present, or $LAKERANK_CONFIG).")
  Path config;

  @Option(
      names = "--lakehouse",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Root of the Delta tables (lakehouse.root; default ./lakehouse).")
  String lakehouse;

  @Option(
      names = "--raw",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description =
          "Directory of raw source files that generate writes and pipeline reads (raw.root; default ./data/raw).")
  String raw;

  @Option(
      names = "--feature-repo",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "The Feast feature repository (features.repo; default ./feature-repo).")
  String featureRepo;

  @Option(
      names = "--registry",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "The model registry directory (registry.root; default ./registry).")
  String registry;

  @Option(
      names = "--mlflow",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "Keep models in this MLflow tracking server instead (registry.type=mlflow, registry.mlflow.tracking-uri).")
  String mlflow;

  @Option(
      names = "--master",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "Spark master when not run by spark-submit (spark.master; default local[*]).")
  String master;

  @Option(
      names = "--set",
      scope = ScopeType.INHERIT,
      paramLabel = "KEY=VALUE",
      description =
          "Any setting (see `lakerank config`), or a Spark property as spark.conf.<property>=<value>. Repeatable.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Show Spark's own INFO logs.")
  boolean verbose;

  @Option(
      names = "--progress",
      scope = ScopeType.INHERIT,
      paramLabel = "WHEN",
      description = "Progress lines: auto (on a terminal), always or never (output.progress).")
  String progress;

  /** The settings these options set. */
  Map<String, String> overrides() {
    Map<String, String> overrides = new LinkedHashMap<>(settings);
    put(overrides, Settings.LAKEHOUSE_ROOT.key(), lakehouse);
    put(overrides, Settings.RAW_ROOT.key(), raw);
    put(overrides, Settings.FEATURE_REPO.key(), featureRepo);
    put(overrides, Settings.REGISTRY_ROOT.key(), registry);
    if (mlflow != null) {
      put(overrides, Settings.REGISTRY_TYPE.key(), "mlflow");
      put(overrides, Settings.REGISTRY_MLFLOW_TRACKING_URI.key(), mlflow);
    }
    put(overrides, Settings.SPARK_MASTER.key(), master);
    put(overrides, Settings.OUTPUT_PROGRESS.key(), progress);
    return overrides;
  }

  static void put(Map<String, String> overrides, String key, Object value) {
    if (value != null) {
      overrides.put(key, value.toString());
    }
  }
}
