package dev.lakerank.jobs.train;

import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.TrainingRuns;
import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.Evaluation;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.bundle.ModelKind;
import dev.lakerank.model.ranker.RankerPipeline;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;

/**
 * Exports a trained model into a bundle, registers it, moves the aliases as the promotion policy
 * says, and appends the run to {@code ml.training_runs}.
 */
public final class ModelTraining {
  private final Lakehouse lakehouse;
  private final ModelRegistry registry;
  private final Clock clock;
  private final Reporter reporter;
  private final String codeVersion;

  /**
   * @param codeVersion the code version recorded with every model ({@code code.version})
   */
  public ModelTraining(
      Lakehouse lakehouse,
      ModelRegistry registry,
      Clock clock,
      Reporter reporter,
      String codeVersion) {
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.clock = clock;
    this.reporter = reporter;
    this.codeVersion = codeVersion;
  }

  /** What was registered, and the alias it got (champion, challenger, or none). */
  public record Registered(
      ModelVersion version,
      Optional<String> alias,
      String primaryMetric,
      double primaryValue,
      String decision) {}

  /** Trains the recommender, then exports and registers it. */
  public Registered trainRecommender(
      String name, RecommenderTrainer.Options options, Promotion promotion) {
    Instant started = clock.instant();
    RecommenderTrainer.Result result = new RecommenderTrainer(lakehouse, reporter).train(options);
    return recommender(name, options, result, promotion, started);
  }

  /** Trains the ranker, then exports and registers it. */
  public Registered trainRanker(String name, RankerTrainer.Options options, Promotion promotion) {
    Instant started = clock.instant();
    RankerTrainer.Result result = new RankerTrainer(lakehouse, reporter).train(options);
    return ranker(name, options, result, promotion, started);
  }

  public Registered recommender(
      String name,
      RecommenderTrainer.Options options,
      RecommenderTrainer.Result result,
      Promotion promotion,
      Instant started) {
    Map<String, String> lineage = lineage(started, result.windowStart(), result.windowEnd());
    lineage.put("mode", options.mode().name().toLowerCase(java.util.Locale.ROOT));
    lineage.put("split", options.split().name().toLowerCase(java.util.Locale.ROOT));
    String primary =
        result.metrics().containsKey("ndcg_at_" + options.ks().get(0))
            ? "ndcg_at_" + options.ks().get(0)
            : "rmse";
    return register(
        name,
        ModelKind.ALS,
        result.params(),
        result.metrics(),
        result.evaluation(),
        result.versions(),
        List.of(SilverInteractions.USER_ID, SilverInteractions.ITEM_ID),
        lineage,
        promotion,
        primary,
        !primary.equals("rmse"),
        started,
        writer -> {
          AlsScorer.write(
              writer, result.scorer().users(), result.scorer().items(), result.popularity());
          if (result.seen() != null) {
            result.seen().write(writer);
          }
        });
  }

  public Registered ranker(
      String name,
      RankerTrainer.Options options,
      RankerTrainer.Result result,
      Promotion promotion,
      Instant started) {
    Map<String, String> lineage = lineage(started, result.windowStart(), result.windowEnd());
    lineage.put("label", options.label());
    return register(
        name,
        options.algorithm().kind(),
        result.params(),
        result.metrics(),
        result.evaluation(),
        result.versions(),
        result.manifestFeatures(),
        lineage,
        promotion,
        "auc",
        true,
        started,
        writer -> writer.writeJson(RankerPipeline.FILE, result.exported()));
  }

  private interface Payload {
    void write(BundleWriter writer);
  }

  private Registered register(
      String name,
      ModelKind kind,
      Map<String, Object> params,
      Map<String, Double> metrics,
      Evaluation evaluation,
      Map<TableName, Long> versions,
      List<String> features,
      Map<String, String> lineage,
      Promotion promotion,
      String primary,
      boolean higherIsBetter,
      Instant started,
      Payload payload) {
    Path staging;
    try {
      staging = Files.createTempDirectory("lakerank-bundle-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the bundle", e);
    }
    try {
      BundleWriter writer = new BundleWriter(staging);
      payload.write(writer);
      writer.writeJson(Evaluation.FILE, evaluation);
      Map<String, Long> tables = new LinkedHashMap<>();
      versions.forEach((table, version) -> tables.put(table.toString(), version));
      Manifest manifest =
          new Manifest(
              Manifest.FORMAT_VERSION,
              name,
              0,
              kind,
              clock.instant().toString(),
              lakehouse.spark().version(),
              tables,
              features,
              params,
              finite(metrics),
              lineage,
              Map.of());
      ModelBundle bundle = writer.finish(manifest);
      ModelVersion version = registry.register(bundle);
      double value = metrics.getOrDefault(primary, Double.NaN);
      Optional<String> alias = Optional.empty();
      String decision;
      Optional<ModelVersion> champion = registry.alias(name, ModelRegistry.CHAMPION);
      double championValue =
          champion
              .map(c -> c.manifest().metrics().getOrDefault(primary, Double.NaN))
              .orElse(Double.NaN);
      boolean better =
          Double.isNaN(championValue)
              || (higherIsBetter ? value >= championValue : value <= championValue);
      if (promotion == Promotion.ALWAYS
          || (promotion == Promotion.AUTO && (champion.isEmpty() || better))) {
        decision =
            champion.isEmpty()
                ? "champion (the first)"
                : promotion == Promotion.ALWAYS
                    ? "champion (--promote always)"
                    : String.format(
                        "champion (%s %.4f, champion v%d had %.4f)",
                        primary, value, champion.get().version(), championValue);
        registry.setAlias(name, ModelRegistry.CHAMPION, version.version(), decision);
        alias = Optional.of(ModelRegistry.CHAMPION);
      } else {
        decision =
            promotion == Promotion.NEVER
                ? "challenger (--promote never)"
                : String.format(
                    "challenger (%s %.4f, champion v%d has %.4f)",
                    primary, value, champion.get().version(), championValue);
        registry.setAlias(name, ModelRegistry.CHALLENGER, version.version(), decision);
        alias = Optional.of(ModelRegistry.CHALLENGER);
      }
      appendRun(version, kind, params, metrics, tables, lineage, alias.orElse(null), started);
      reporter.detail("registered " + name + " v" + version.version() + ": " + decision);
      return new Registered(version, alias, primary, value, decision);
    } finally {
      deleteTree(staging);
    }
  }

  private static Map<String, Double> finite(Map<String, Double> metrics) {
    Map<String, Double> out = new LinkedHashMap<>();
    metrics.forEach(
        (name, value) -> {
          if (value != null && Double.isFinite(value)) {
            out.put(name, value);
          }
        });
    return out;
  }

  private Map<String, String> lineage(Instant started, Instant windowStart, Instant windowEnd) {
    Map<String, String> lineage = new LinkedHashMap<>();
    lineage.put("run_id", runId(started));
    lineage.put("data_window_start", windowStart.toString());
    lineage.put("data_window_end", windowEnd.toString());
    lineage.put("code_version", codeVersion);
    return lineage;
  }

  static String runId(Instant started) {
    return "train-" + started.getEpochSecond();
  }

  private void appendRun(
      ModelVersion version,
      ModelKind kind,
      Map<String, Object> params,
      Map<String, Double> metrics,
      Map<String, Long> tables,
      Map<String, String> lineage,
      String alias,
      Instant started) {
    lakehouse.createIfNotExists(TrainingRuns.DEFINITION);
    Map<String, String> textParams = new LinkedHashMap<>();
    params.forEach((key, value) -> textParams.put(key, String.valueOf(value)));
    Row row =
        RowFactory.create(
            lineage.get("run_id"),
            version.model(),
            version.version(),
            kind.value(),
            Timestamp.from(started),
            Timestamp.from(clock.instant()),
            scala.jdk.javaapi.CollectionConverters.asScala(textParams),
            scala.jdk.javaapi.CollectionConverters.asScala(finite(metrics)),
            scala.jdk.javaapi.CollectionConverters.asScala(tables),
            Timestamp.from(Instant.parse(lineage.get("data_window_start"))),
            Timestamp.from(Instant.parse(lineage.get("data_window_end"))),
            lineage.get("code_version"),
            alias,
            version.source());
    lakehouse
        .spark()
        .createDataFrame(List.of(row), TrainingRuns.SCHEMA)
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .save(lakehouse.location(TrainingRuns.NAME));
  }

  private static void deleteTree(Path path) {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
