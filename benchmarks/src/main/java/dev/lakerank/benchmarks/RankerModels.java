package dev.lakerank.benchmarks;

import dev.lakerank.jobs.config.LakerankConfig;
import dev.lakerank.jobs.export.SparkStages;
import dev.lakerank.jobs.spark.SparkSessions;
import dev.lakerank.jobs.train.RankerAlgorithm;
import dev.lakerank.jobs.train.RankerPipelines;
import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.ranker.RankerPipeline;
import dev.lakerank.model.ranker.RankerScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;

/**
 * The fitted rankers the benchmarks measure: each kind is fitted once on {@link #TRAINING_ROWS}
 * synthetic rows and kept on disk (Spark's saved {@link PipelineModel} and the exported bundle), so
 * every JMH fork of a kind measures the same model and the pure-Java forks never start Spark. A
 * fork that finds no saved model fits it in its setup; {@code run.sh} fits them all first, with
 * {@link #main}, so no fork pays for training.
 *
 * <p>Models live in {@code target/benchmark-models} of the working directory, or where the system
 * property {@value #DIRECTORY_PROPERTY} says.
 */
public final class RankerModels {
  public static final String DIRECTORY_PROPERTY = "lakerank.benchmarks.models";
  public static final int TRAINING_ROWS = 20_000;
  public static final long TRAINING_SEED = 11;
  public static final RankerPipelines PIPELINES =
      new RankerPipelines(
          SyntheticImpressions.NUMERIC, SyntheticImpressions.TEXT, SyntheticImpressions.LABEL);

  private static final String SPARK_MODEL = "spark";
  private static final String BUNDLE = "bundle";

  private RankerModels() {}

  /** Fits and saves every kind (replacing saved ones): {@code RankerModels [directory]}. */
  public static void main(String[] args) {
    Path directory = args.length > 0 ? Path.of(args[0]) : directory();
    SparkSession spark = startSpark();
    try {
      for (RankerAlgorithm algorithm : RankerAlgorithm.values()) {
        long start = System.nanoTime();
        fit(spark, algorithm, directory);
        System.out.printf(
            "fitted %s in %.1f s -> %s%n",
            algorithm, (System.nanoTime() - start) / 1e9, directory.resolve(name(algorithm)));
      }
    } finally {
      spark.stop();
    }
  }

  /**
   * The hyperparameters of each kind: GBT with 100 trees of depth 5, as the brief for these
   * numbers.
   */
  public static Map<String, Double> params(RankerAlgorithm algorithm) {
    return switch (algorithm) {
      case LR -> Map.of("regParam", 0.01, "maxIter", 50.0);
      case GBT -> Map.of("maxIter", 100.0, "maxDepth", 5.0);
      case FM -> Map.of("factorSize", 8.0, "maxIter", 50.0);
    };
  }

  public static Path directory() {
    return Path.of(System.getProperty(DIRECTORY_PROPERTY, "target/benchmark-models"))
        .toAbsolutePath();
  }

  /** A local Spark session on two cores, bound to loopback, as the CLI's local mode makes it. */
  public static SparkSession startSpark() {
    return SparkSessions.create(
        new LakerankConfig.SparkSettings("local[2]", 2, false, "127.0.0.1", Map.of()));
  }

  /**
   * The exported scorer of a kind; fits the model first (in a Spark session of its own) when none
   * is saved.
   */
  public static RankerScorer scorer(RankerAlgorithm algorithm) {
    Path saved = directory().resolve(name(algorithm));
    if (!Files.isDirectory(saved)) {
      SparkSession spark = startSpark();
      try {
        fit(spark, algorithm, directory());
      } finally {
        spark.stop();
      }
    }
    return RankerScorer.load(ModelBundle.open(saved.resolve(BUNDLE)));
  }

  /** Spark's fitted pipeline of a kind; fits it first when none is saved. */
  public static PipelineModel sparkModel(SparkSession spark, RankerAlgorithm algorithm) {
    Path saved = directory().resolve(name(algorithm));
    if (!Files.isDirectory(saved)) {
      fit(spark, algorithm, directory());
    }
    return PipelineModel.load(saved.resolve(SPARK_MODEL).toUri().toString());
  }

  /**
   * Fits one kind on the synthetic training rows, saves Spark's model and the exported bundle in a
   * temporary directory, then moves it into place, so an interrupted fit never leaves half a model.
   */
  static void fit(SparkSession spark, RankerAlgorithm algorithm, Path directory) {
    SyntheticImpressions.Impressions impressions =
        SyntheticImpressions.generate(TRAINING_SEED, TRAINING_ROWS);
    var training =
        spark.createDataFrame(
            SyntheticImpressions.labelledRows(impressions), SyntheticImpressions.schema(true));
    PipelineModel model =
        PIPELINES.pipeline(algorithm, params(algorithm), 7).fit(PIPELINES.prepare(training));

    Path target = directory.resolve(name(algorithm));
    Path temporary = directory.resolve(name(algorithm) + ".tmp");
    try {
      delete(temporary);
      Files.createDirectories(temporary);
      model.write().overwrite().save(temporary.resolve(SPARK_MODEL).toUri().toString());
      RankerPipeline exported =
          SparkStages.ranker(model, PIPELINES.inputs(), PIPELINES.featureNames(model));
      BundleWriter writer = new BundleWriter(temporary.resolve(BUNDLE));
      writer.writeJson(RankerPipeline.FILE, exported);
      writer.finish(
          new Manifest(
              Manifest.FORMAT_VERSION,
              "benchmark-" + name(algorithm),
              0,
              algorithm.kind(),
              Instant.now().toString(),
              spark.version(),
              Map.of(),
              manifestFeatures(),
              new java.util.TreeMap<String, Object>(params(algorithm)),
              Map.of(),
              Map.of("data", TRAINING_ROWS + " synthetic rows, seed " + TRAINING_SEED),
              Map.of()));
      delete(target);
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot save the " + algorithm + " benchmark model in " + directory, e);
    }
  }

  private static List<String> manifestFeatures() {
    return PIPELINES.inputs().stream().map(input -> input.name()).toList();
  }

  private static String name(RankerAlgorithm algorithm) {
    return algorithm.value();
  }

  private static void delete(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
