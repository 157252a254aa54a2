package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.generate.GeneratedFiles;
import dev.lakerank.jobs.tables.RankerTrainingSet;
import dev.lakerank.jobs.train.ModelTraining;
import dev.lakerank.jobs.train.Promotion;
import dev.lakerank.jobs.train.RankerAlgorithm;
import dev.lakerank.jobs.train.RankerTrainer;
import dev.lakerank.jobs.train.RecommenderTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a model, judge it on held-out data, export it and register it.",
      "recommender: ALS on silver.interactions; ranker: a click classifier on gold.ranker_training_set.",
      "Each run registers a new version (see `lakerank models`) and appends to ml.training_runs."
    },
    subcommands = {TrainCommand.Recommender.class, TrainCommand.Ranker.class})
final class TrainCommand extends LakerankSubcommand {
  @Override
  protected int run(CommandContext context) {
    context
        .err()
        .println(
            "name what to train: `lakerank train recommender` or `lakerank train ranker` (--help for options)");
    return 1;
  }

  static final String PROMOTE_HELP =
      "auto (default): champion if none or at least as good on the primary metric, else challenger; "
          + "always: champion; never: challenger.";

  @Command(
      name = "recommender",
      mixinStandardHelpOptions = true,
      description = {
        "ALS on silver.interactions: implicit (clicks and purchases as confidence) or explicit (ratings).",
        "Split by time (default), at random, or into k folds; rank, regParam and alpha tuned on a",
        "validation part of the training data. Metrics: RMSE and MAE (explicit), precision, recall,",
        "NDCG, MAP and hit rate at K, catalogue coverage, with items seen in training removed.",
        "Example (MovieLens 100K, 5-fold RMSE): lakerank ingest u.data && lakerank transform &&",
        "  lakerank train recommender --mode explicit --split kfold --ranks 10,20 --reg-params 0.05,0.1"
      })
  static final class Recommender extends LakerankSubcommand {
    @Option(
        names = "--name",
        defaultValue = "recommender",
        paramLabel = "NAME",
        description = "Registry name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
        names = "--mode",
        defaultValue = "implicit",
        paramLabel = "MODE",
        description = "implicit or explicit (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(
        names = "--split",
        defaultValue = "time",
        paramLabel = "HOW",
        description = "time, random or kfold (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(
        names = "--folds",
        defaultValue = "5",
        paramLabel = "N",
        description = "Folds for --split kfold (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(
        names = "--test-fraction",
        defaultValue = "0.2",
        paramLabel = "F",
        description = "Share held out for time and random splits (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(
        names = "--ranks",
        split = ",",
        defaultValue = "8,16",
        paramLabel = "R,..",
        description = "Ranks to try (default: ${DEFAULT-VALUE}).")
    List<Integer> ranks;

    @Option(
        names = "--reg-params",
        split = ",",
        defaultValue = "0.05,0.1",
        paramLabel = "L,..",
        description = "regParam values to try (default: ${DEFAULT-VALUE}).")
    List<Double> regParams;

    @Option(
        names = "--alphas",
        split = ",",
        defaultValue = "1,10",
        paramLabel = "A,..",
        description = "Implicit confidence alphas to try (default: ${DEFAULT-VALUE}).")
    List<Double> alphas;

    @Option(
        names = "--max-iter",
        defaultValue = "10",
        paramLabel = "N",
        description = "ALS iterations (default: ${DEFAULT-VALUE}).")
    int maxIter;

    @Option(
        names = "--k",
        split = ",",
        defaultValue = "10,1,5,20",
        paramLabel = "K,..",
        description = "K of the top-K metrics, the first primary (default: ${DEFAULT-VALUE}).")
    List<Integer> ks;

    @Option(
        names = "--eval-users",
        defaultValue = "5000",
        paramLabel = "N",
        description = "Test users ranked, at most (default: ${DEFAULT-VALUE}).")
    int evalUsers;

    @Option(
        names = "--seed",
        defaultValue = "42",
        paramLabel = "N",
        description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--promote",
        defaultValue = "auto",
        paramLabel = "WHEN",
        description = PROMOTE_HELP)
    String promote;

    @Override
    protected int run(CommandContext context) {
      RecommenderTrainer.Options options =
          new RecommenderTrainer.Options(
              RecommenderTrainer.Mode.parse(mode),
              RecommenderTrainer.Split.parse(split),
              folds,
              testFraction,
              ranks,
              regParams,
              alphas,
              maxIter,
              ks,
              evalUsers,
              seed);
      ModelTraining.Registered registered =
          training(context).trainRecommender(name, options, Promotion.parse(promote));
      context.finishProgress();
      print(context.out(), registered);
      return 0;
    }
  }

  @Command(
      name = "ranker",
      mixinStandardHelpOptions = true,
      description = {
        "A click classifier on gold.ranker_training_set: the ranker service's point-in-time features,",
        "the impression's context and the ALS score of the pair. LogisticRegression, GBTClassifier or",
        "FMClassifier, tuned with TrainValidationSplit on AUC. Metrics: AUC, PR-AUC, log loss, Brier,",
        "calibration; on generated data also the oracle AUC of the true click probabilities."
      })
  static final class Ranker extends LakerankSubcommand {
    @Option(
        names = "--name",
        defaultValue = "ranker",
        paramLabel = "NAME",
        description = "Registry name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
        names = "--algorithm",
        defaultValue = "gbt",
        paramLabel = "ALG",
        description = "gbt, lr or fm (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(
        names = "--param",
        paramLabel = "NAME=VALUE",
        description =
            "A hyperparameter (maxIter, maxDepth, stepSize, regParam, factorSize, ...). Repeatable.")
    Map<String, Double> params = new LinkedHashMap<>();

    @Option(
        names = "--no-tune",
        description = "Fit the given hyperparameters only, without TrainValidationSplit.")
    boolean noTune;

    @Option(
        names = "--label",
        defaultValue = RankerTrainingSet.LABEL_CLICK,
        paramLabel = "COLUMN",
        description = "label_click or label_purchase (default: ${DEFAULT-VALUE}).")
    String label;

    @Option(
        names = "--truth",
        paramLabel = "DIR",
        description =
            "The generator's truth/impressions for the oracle AUC (default: <raw.root>/truth/impressions when present).")
    String truth;

    @Option(
        names = "--seed",
        defaultValue = "42",
        paramLabel = "N",
        description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--promote",
        defaultValue = "auto",
        paramLabel = "WHEN",
        description = PROMOTE_HELP)
    String promote;

    @Override
    protected int run(CommandContext context) {
      RankerAlgorithm chosen = RankerAlgorithm.parse(algorithm);
      String truthPath =
          truth != null
              ? truth
              : defaultTruth(context.spark(), context.config().locations().rawRoot());
      RankerTrainer.Options defaults = RankerTrainer.Options.defaults(chosen, truthPath);
      Map<String, Double> merged = new LinkedHashMap<>(defaults.params());
      merged.putAll(params);
      RankerTrainer.Options options =
          new RankerTrainer.Options(
              chosen,
              merged,
              !noTune,
              label,
              defaults.alsFraction(),
              defaults.testFraction(),
              defaults.alsRank(),
              defaults.alsRegParam(),
              defaults.alsAlpha(),
              truthPath,
              seed);
      ModelTraining.Registered registered =
          training(context).trainRanker(name, options, Promotion.parse(promote));
      context.finishProgress();
      print(context.out(), registered);
      return 0;
    }
  }

  static ModelTraining training(CommandContext context) {
    return new ModelTraining(
        context.lakehouse(),
        context.registry(),
        context.clock(),
        context.reporter(),
        context.config().codeVersion());
  }

  /** {@code <raw>/truth/impressions} when the generator wrote it, else null. */
  static String defaultTruth(SparkSession spark, String rawRoot) {
    Path path = new Path(rawRoot + "/" + GeneratedFiles.TRUTH_IMPRESSIONS);
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)
          ? path.toString()
          : null;
    } catch (IOException e) {
      return null;
    }
  }

  static void print(PrintStream out, ModelTraining.Registered registered) {
    var version = registered.version();
    out.printf(
        "%s v%d (%s) registered: %s%n",
        version.model(),
        version.version(),
        version.manifest().kind().value(),
        registered.decision());
    version
        .manifest()
        .metrics()
        .forEach((metric, value) -> out.printf("  %-24s %s%n", metric, format(value)));
    out.printf("  bundle: %s%n", version.source());
  }

  static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e12
        ? String.format("%,d", (long) value)
        : String.format("%.4f", value);
  }
}
