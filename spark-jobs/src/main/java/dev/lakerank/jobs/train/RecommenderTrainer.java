package dev.lakerank.jobs.train;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.export.AlsExport;
import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.als.FactorMatrix;
import dev.lakerank.model.als.Popularity;
import dev.lakerank.model.als.SeenItems;
import dev.lakerank.model.bundle.Evaluation;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code lakerank train recommender}: ALS on silver interactions.
 *
 * <p>Explicit mode fits the ratings; implicit mode fits clicks and purchases as confidence ({@code
 * 1 + alpha * (clicks + 4 * purchases)} in Hu, Koren and Volinsky's sense). The data is split by
 * time by default (fit on the past, judge on the future), or at random, or into k folds so RMSE
 * compares with published tables. Hyperparameters are chosen on a validation part of the training
 * data: explicit with Spark's {@link TrainValidationSplit} on RMSE, implicit by NDCG@K on held-out
 * interactions (Spark's evaluators cannot rank all items), then the chosen model is judged once on
 * the test part. Users and items ALS does not know never get NaN: ratings fall back to the item's
 * or the global mean, top K to the most popular items.
 */
public final class RecommenderTrainer {
  /** Confidence of a purchase relative to a click, in implicit mode. */
  public static final double PURCHASE_WEIGHT = 4.0;

  /** Ratings at or above this count as relevant for the top-K metrics in explicit mode. */
  public static final double RELEVANT_RATING = 4.0;

  static final String USER = "user";
  static final String ITEM = "item";
  static final String RATING = "rating";
  static final String TIME = "time";

  private final Lakehouse lakehouse;
  private final Reporter reporter;

  public RecommenderTrainer(Lakehouse lakehouse, Reporter reporter) {
    this.lakehouse = lakehouse;
    this.reporter = reporter;
  }

  public enum Mode {
    EXPLICIT,
    IMPLICIT;

    public static Mode parse(String text) {
      return Choices.parse(Mode.class, text, "mode");
    }
  }

  public enum Split {
    TIME,
    RANDOM,
    KFOLD;

    public static Split parse(String text) {
      return Choices.parse(Split.class, text, "split");
    }
  }

  /**
   * @param testFraction share of the data held out (time: the latest events; random: pairs)
   * @param ks the K of the top-K metrics; the first is the primary one
   * @param evaluationUsers at most this many test users are ranked (a seeded sample)
   */
  public record Options(
      Mode mode,
      Split split,
      int folds,
      double testFraction,
      List<Integer> ranks,
      List<Double> regParams,
      List<Double> alphas,
      int maxIter,
      List<Integer> ks,
      int evaluationUsers,
      long seed) {
    public Options {
      ranks = List.copyOf(ranks);
      regParams = List.copyOf(regParams);
      alphas = List.copyOf(alphas);
      ks = List.copyOf(ks);
      if (ranks.isEmpty()
          || regParams.isEmpty()
          || (mode == Mode.IMPLICIT && alphas.isEmpty())
          || ks.isEmpty()) {
        throw JobErrors.invalidInput(
            "ranks, reg params, alphas (implicit) and K need at least one value each");
      }
      if (!(testFraction > 0 && testFraction < 1)) {
        throw JobErrors.invalidInput("the test fraction must be in (0, 1), got " + testFraction);
      }
      if (split == Split.KFOLD && folds < 2) {
        throw JobErrors.invalidInput("k-fold needs at least 2 folds, got " + folds);
      }
    }

    public static Options defaults(Mode mode) {
      return new Options(
          mode,
          Split.TIME,
          5,
          0.2,
          List.of(8, 16),
          List.of(0.05, 0.1),
          List.of(1.0, 10.0),
          10,
          List.of(10, 1, 5, 20),
          5_000,
          42);
    }
  }

  /** The chosen model, fitted on the training part, and how it did on the test part. */
  public record Result(
      ALSModel model,
      AlsScorer scorer,
      Map<String, Object> params,
      Map<String, Double> metrics,
      Evaluation evaluation,
      Popularity popularity,
      Map<TableName, Long> versions,
      Instant windowStart,
      Instant windowEnd,
      SeenItems seen) {
    /**
     * The same result with the items each user interacted with (every pair read, not only the
     * training split).
     */
    Result withSeen(SeenItems items) {
      return new Result(
          model,
          scorer,
          params,
          metrics,
          evaluation,
          popularity,
          versions,
          windowStart,
          windowEnd,
          items);
    }
  }

  public Result train(Options options) {
    Checkpoints.ensure(lakehouse);
    long version = lakehouse.version(SilverInteractions.NAME);
    if (version < 0) {
      throw JobErrors.notFound(
          "silver.interactions does not exist yet: run `lakerank transform` (or `pipeline run`) first");
    }
    Dataset<Row> events =
        events(lakehouse.read(SilverInteractions.NAME, version), options.mode())
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row span = events.agg(count(lit(1)), min(TIME), max(TIME), max(USER), max(ITEM)).head();
      if (span.getLong(0) == 0) {
        throw JobErrors.invalidInput(
            "silver.interactions holds no "
                + (options.mode() == Mode.EXPLICIT
                    ? "ratings: use --mode implicit, or ingest ratings (MovieLens u.data)"
                    : "clicks or purchases: use --mode explicit for rating-only data such as MovieLens"));
      }
      if (span.getLong(3) > Integer.MAX_VALUE || span.getLong(4) > Integer.MAX_VALUE) {
        throw JobErrors.invalidInput(
            "ALS needs user and item ids below 2^31; the largest are "
                + span.get(3)
                + " and "
                + span.get(4)
                + ". Map the ids to a dense range before training");
      }
      reporter.step(
          String.format(
              "train recommender (%s ALS): %,d %s, %s split",
              options.mode().name().toLowerCase(Locale.ROOT),
              span.getLong(0),
              options.mode() == Mode.EXPLICIT ? "ratings" : "clicks and purchases",
              options.split().name().toLowerCase(Locale.ROOT)));
      Map<TableName, Long> versions = Map.of(SilverInteractions.NAME, version);
      Instant start = ((Timestamp) span.get(1)).toInstant();
      Instant end = ((Timestamp) span.get(2)).toInstant();
      Result result =
          options.split() == Split.KFOLD
              ? kFold(events, options, versions, start, end)
              : holdOut(events, options, versions, start, end);
      return result.withSeen(AlsExport.seen(pairs(events, options.mode()).select(USER, ITEM)));
    } finally {
      events.unpersist();
    }
  }

  /** (user, item, rating, time) per event: ratings, or clicks (1) and purchases (4). */
  static Dataset<Row> events(Dataset<Row> interactions, Mode mode) {
    Column type = col(SilverInteractions.EVENT_TYPE);
    Dataset<Row> chosen;
    Column rating;
    if (mode == Mode.EXPLICIT) {
      chosen =
          interactions.where(
              type.equalTo(EventType.RATING.value())
                  .and(col(SilverInteractions.RATING).isNotNull()));
      rating = col(SilverInteractions.RATING);
    } else {
      chosen = interactions.where(type.isin(EventType.CLICK.value(), EventType.PURCHASE.value()));
      rating =
          when(type.equalTo(EventType.PURCHASE.value()), lit(PURCHASE_WEIGHT)).otherwise(lit(1.0));
    }
    return chosen.select(
        col(SilverInteractions.USER_ID).alias(USER),
        col(SilverInteractions.ITEM_ID).alias(ITEM),
        rating.cast("float").alias(RATING),
        col(SilverInteractions.EVENT_TIME).alias(TIME));
  }

  /** One row per pair: the latest rating (explicit) or the summed confidence (implicit). */
  static Dataset<Row> pairs(Dataset<Row> events, Mode mode) {
    if (mode == Mode.EXPLICIT) {
      // the max of (time, rating) is the latest rating (ties: the higher); joining events with its
      // own
      // aggregate instead is an ambiguous self-join that Spark's analyzer refuses
      return events
          .groupBy(USER, ITEM)
          .agg(max(struct(col(TIME), col(RATING))).alias("_latest"))
          .select(
              col(USER),
              col(ITEM),
              col("_latest." + RATING).alias(RATING),
              col("_latest." + TIME).alias(TIME));
    }
    return events
        .groupBy(USER, ITEM)
        .agg(sum(RATING).cast("float").alias(RATING), max(TIME).alias(TIME));
  }

  private Result holdOut(
      Dataset<Row> events,
      Options options,
      Map<TableName, Long> versions,
      Instant start,
      Instant end) {
    Dataset<Row>[] parts = split(events, options, options.testFraction());
    Dataset<Row> train = parts[0].persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> test = parts[1].persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Object> params = tune(train, options);
      reporter.step("train recommender: fit with " + params);
      ALSModel model = als(options, params).fit(train);
      Popularity popularity = popularity(train);
      AlsScorer scorer = AlsExport.scorer(model, popularity);
      RecommenderEvaluation evaluation =
          new RecommenderEvaluation(
              lakehouse.spark(),
              options.mode(),
              options.ks(),
              options.evaluationUsers(),
              options.seed());
      Map<String, Double> metrics = new LinkedHashMap<>();
      if (options.mode() == Mode.EXPLICIT) {
        metrics.putAll(evaluation.errors(model, train, test));
      }
      reporter.step("train recommender: top-K metrics on held-out users");
      Map<String, Map<Integer, Double>> atK = evaluation.ranking(scorer, train, test, metrics);
      // the bar to clear: the same users ranked by popularity alone
      Map<String, Double> baseline = new LinkedHashMap<>();
      AlsScorer popular =
          new AlsScorer(
              new FactorMatrix(scorer.rank(), new long[0], new float[0]),
              scorer.items(),
              popularity);
      evaluation.ranking(popular, train, test, baseline);
      for (String name : List.of("precision", "recall", "ndcg", "hit_rate")) {
        String key = name + "_at_" + options.ks().get(0);
        if (baseline.containsKey(key)) {
          metrics.put("popularity_" + key, baseline.get(key));
        }
      }
      metrics.put("train_pairs", (double) train.count());
      metrics.put("test_pairs", (double) test.count());
      List<String> notes = new ArrayList<>();
      notes.add(describeSplit(options));
      notes.add(
          "Top-K metrics rank every item with factors for each test user, items the user interacted with in "
              + "training removed; relevant items are the test "
              + (options.mode() == Mode.EXPLICIT
                  ? "ratings of at least " + RELEVANT_RATING
                  : "clicks and purchases")
              + " on items not seen in training.");
      notes.add(
          "Users without factors get the most popular training items (cold start), and are counted.");
      notes.add(
          "popularity_* metrics: the same users ranked by training popularity alone, the baseline to beat.");
      Evaluation report =
          new Evaluation(metrics, List.of(), List.of(), List.of(), atK, Map.of(), notes);
      return new Result(
          model, scorer, params, metrics, report, popularity, versions, start, end, null);
    } finally {
      train.unpersist();
      test.unpersist();
    }
  }

  /** k folds of pairs: the tuned model is judged on each fold in turn; metrics are their means. */
  private Result kFold(
      Dataset<Row> events,
      Options options,
      Map<TableName, Long> versions,
      Instant start,
      Instant end) {
    Dataset<Row> pairs =
        pairs(events, options.mode())
            .withColumn(
                "_fold",
                pmod(xxhash64(col(USER), col(ITEM), lit(options.seed())), lit(options.folds())))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, List<Double>> perFold = new LinkedHashMap<>();
      Map<String, Object> params = null;
      RecommenderEvaluation evaluation =
          new RecommenderEvaluation(
              lakehouse.spark(),
              options.mode(),
              options.ks(),
              options.evaluationUsers(),
              options.seed());
      ALSModel model = null;
      Dataset<Row> lastTrain = null;
      for (int fold = 0; fold < options.folds(); fold++) {
        Dataset<Row> train = pairs.where(col("_fold").notEqual(fold)).drop("_fold");
        Dataset<Row> test = pairs.where(col("_fold").equalTo(fold)).drop("_fold");
        params = tune(train, options);
        reporter.step(
            "train recommender: fold " + (fold + 1) + " of " + options.folds() + ", " + params);
        model = als(options, params).fit(train);
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (options.mode() == Mode.EXPLICIT) {
          metrics.putAll(evaluation.errors(model, train, test));
        }
        evaluation.ranking(AlsExport.scorer(model, popularity(train)), train, test, metrics);
        metrics.forEach(
            (name, value) -> perFold.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
        lastTrain = train;
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      perFold.forEach(
          (name, values) ->
              metrics.put(
                  name,
                  values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
      if (perFold.containsKey("rmse")) {
        double mean = metrics.get("rmse");
        double variance =
            perFold.get("rmse").stream().mapToDouble(v -> (v - mean) * (v - mean)).sum()
                / (options.folds() - 1);
        metrics.put("rmse_std", Math.sqrt(variance));
      }
      Popularity popularity = popularity(lastTrain);
      List<String> notes =
          List.of(
              describeSplit(options),
              "Metrics are means over the folds; the exported model is the one fitted for the last fold.",
              "Per-fold RMSE: " + perFold.getOrDefault("rmse", List.of()));
      Evaluation report =
          new Evaluation(metrics, List.of(), List.of(), List.of(), Map.of(), Map.of(), notes);
      return new Result(
          model,
          AlsExport.scorer(model, popularity),
          params,
          metrics,
          report,
          popularity,
          versions,
          start,
          end,
          null);
    } finally {
      pairs.unpersist();
    }
  }

  private static String describeSplit(Options options) {
    return switch (options.split()) {
      case TIME ->
          String.format(
              "Time split: fitted on the events before the %.0f%% quantile of event time, judged on those after.",
              100 * (1 - options.testFraction()));
      case RANDOM ->
          String.format(
              "Random split: %.0f%% of the user-item pairs held out (seed %d).",
              100 * options.testFraction(), options.seed());
      case KFOLD ->
          options.folds()
              + "-fold cross-validation over user-item pairs (seed "
              + options.seed()
              + ").";
    };
  }

  /** Training and test pairs: by time (events before and after a quantile) or at random. */
  private Dataset<Row>[] split(Dataset<Row> events, Options options, double testFraction) {
    if (options.split() == Split.RANDOM) {
      return pairs(events, options.mode())
          .randomSplit(new double[] {1 - testFraction, testFraction}, options.seed());
    }
    long cutoff = cutoff(events, 1 - testFraction);
    Column before = col(TIME).cast("long").lt(cutoff);
    @SuppressWarnings("unchecked")
    Dataset<Row>[] parts =
        new Dataset[] {
          pairs(events.where(before), options.mode()),
          pairs(events.where(before.unary_$bang()), options.mode())
        };
    return parts;
  }

  /** The epoch second at the given quantile of event time. */
  static long cutoff(Dataset<Row> events, double quantile) {
    double[] q =
        events
            .select(col(TIME).cast("long").alias("_t"))
            .stat()
            .approxQuantile("_t", new double[] {quantile}, 0.001);
    return (long) q[0];
  }

  private ALS als(Options options, Map<String, Object> params) {
    return new ALS()
        .setUserCol(USER)
        .setItemCol(ITEM)
        .setRatingCol(RATING)
        .setImplicitPrefs(options.mode() == Mode.IMPLICIT)
        .setRank((Integer) params.get("rank"))
        .setRegParam((Double) params.get("regParam"))
        .setAlpha((Double) params.getOrDefault("alpha", 1.0))
        .setMaxIter(options.maxIter())
        .setSeed(options.seed())
        .setColdStartStrategy("nan");
  }

  /** Picks rank, regParam (and alpha) on a validation part of {@code train}. */
  private Map<String, Object> tune(Dataset<Row> train, Options options) {
    boolean single =
        options.ranks().size() == 1
            && options.regParams().size() == 1
            && (options.mode() == Mode.EXPLICIT || options.alphas().size() == 1);
    Map<String, Object> chosen = new LinkedHashMap<>();
    if (single) {
      chosen.put("rank", options.ranks().get(0));
      chosen.put("regParam", options.regParams().get(0));
      if (options.mode() == Mode.IMPLICIT) {
        chosen.put("alpha", options.alphas().get(0));
      }
      chosen.put("maxIter", options.maxIter());
      return chosen;
    }
    if (options.mode() == Mode.EXPLICIT) {
      reporter.step(
          "train recommender: TrainValidationSplit over "
              + options.ranks().size() * options.regParams().size()
              + " settings (RMSE)");
      ALS als =
          als(
                  options,
                  Map.of("rank", options.ranks().get(0), "regParam", options.regParams().get(0)))
              .setColdStartStrategy("drop");
      ParamMap[] grid =
          new ParamGridBuilder()
              .addGrid(als.rank(), options.ranks().stream().mapToInt(Integer::intValue).toArray())
              .addGrid(
                  als.regParam(),
                  options.regParams().stream().mapToDouble(Double::doubleValue).toArray())
              .build();
      TrainValidationSplitModel tvs =
          new TrainValidationSplit()
              .setEstimator(als)
              .setEvaluator(
                  new RegressionEvaluator()
                      .setMetricName("rmse")
                      .setLabelCol(RATING)
                      .setPredictionCol("prediction"))
              .setEstimatorParamMaps(grid)
              .setTrainRatio(0.8)
              .setSeed(options.seed())
              .fit(train.select(USER, ITEM, RATING));
      ALSModel best = (ALSModel) tvs.bestModel();
      chosen.put("rank", best.rank());
      chosen.put("regParam", best.parent().getOrDefault(((ALS) best.parent()).regParam()));
      double[] rmses = tvs.validationMetrics();
      chosen.put("validation_rmse", java.util.Arrays.stream(rmses).min().orElse(Double.NaN));
    } else {
      Dataset<Row>[] parts = train.randomSplit(new double[] {0.8, 0.2}, options.seed());
      Dataset<Row> fit = parts[0].persist(StorageLevel.MEMORY_AND_DISK());
      RecommenderEvaluation evaluation =
          new RecommenderEvaluation(
              lakehouse.spark(),
              options.mode(),
              List.of(options.ks().get(0)),
              Math.min(options.evaluationUsers(), 2_000),
              options.seed());
      double bestScore = Double.NEGATIVE_INFINITY;
      int settings = options.ranks().size() * options.regParams().size() * options.alphas().size();
      int tried = 0;
      for (int rank : options.ranks()) {
        for (double reg : options.regParams()) {
          for (double alpha : options.alphas()) {
            tried++;
            reporter.step(
                String.format(
                    "train recommender: validation %d of %d (rank %d, regParam %s, alpha %s)",
                    tried, settings, rank, reg, alpha));
            Map<String, Object> params = Map.of("rank", rank, "regParam", reg, "alpha", alpha);
            ALSModel model = als(options, params).fit(fit);
            Map<String, Double> metrics = new LinkedHashMap<>();
            evaluation.ranking(AlsExport.scorer(model, popularity(fit)), fit, parts[1], metrics);
            double score = metrics.getOrDefault("ndcg_at_" + options.ks().get(0), Double.NaN);
            if (score > bestScore) {
              bestScore = score;
              chosen = new LinkedHashMap<>(params);
              chosen.put("validation_ndcg_at_" + options.ks().get(0), score);
            }
          }
        }
      }
      fit.unpersist();
      if (chosen.isEmpty()) {
        // no validation user had a relevant item: nothing to choose by, so the first setting
        reporter.detail(
            "tuning: no validation user had a held-out interaction; using the first setting of the grid");
        chosen.put("rank", options.ranks().get(0));
        chosen.put("regParam", options.regParams().get(0));
        chosen.put("alpha", options.alphas().get(0));
      }
    }
    chosen.put("maxIter", options.maxIter());
    return chosen;
  }

  /** Items by their number of training interactions, as shares (the cold-start fallback). */
  static Popularity popularity(Dataset<Row> train) {
    List<Row> rows =
        train
            .groupBy(ITEM)
            .agg(count(lit(1)).alias("_n"))
            .orderBy(col("_n").desc(), col(ITEM).asc())
            .limit(1000)
            .collectAsList();
    double total = train.count();
    List<Long> ids = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    for (Row row : rows) {
      ids.add(((Number) row.get(0)).longValue());
      scores.add(row.getLong(1) / total);
    }
    return new Popularity(ids, scores);
  }

  /**
   * Mean rating per item in training, and the global mean: the fallback for ratings ALS cannot
   * make.
   */
  static Dataset<Row> itemMeans(Dataset<Row> train) {
    return train.groupBy(ITEM).agg(avg(RATING).alias("_item_mean"));
  }

  static Column fallback(Column prediction, Column itemMean, double globalMean) {
    return coalesce(
        when(prediction.isNaN(), lit(null)).otherwise(prediction), itemMean, lit(globalMean));
  }
}
