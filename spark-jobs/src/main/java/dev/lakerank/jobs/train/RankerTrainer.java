package dev.lakerank.jobs.train;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.export.SparkStages;
import dev.lakerank.jobs.generate.GeneratedFiles;
import dev.lakerank.jobs.tables.RankerTrainingSet;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.model.bundle.Evaluation;
import dev.lakerank.model.ranker.RankerPipeline;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.FMClassificationModel;
import org.apache.spark.ml.classification.FMClassifier;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * {@code lakerank train ranker}: a click classifier on {@code gold.ranker_training_set} (the
 * point-in-time features of the ranker service, the impression's context, and the ALS score of the
 * pair).
 *
 * <p>Time decides everything, so nothing from the future leaks in: impressions are cut at two
 * quantiles of time. ALS, whose score is a feature, is fitted on the clicks and purchases before
 * the first cut; the ranker is fitted on the impressions between the cuts (tuned with Spark's
 * {@link TrainValidationSplit} on AUC) and judged on the impressions after the second. When the
 * data set was generated, the true click probabilities of the same test impressions give the oracle
 * AUC, the best any model could reach.
 */
public final class RankerTrainer {
  public static final String ALS_SCORE = "als_score";
  private static final String PROBABILITY = "_p";

  private final Lakehouse lakehouse;
  private final Reporter reporter;

  public RankerTrainer(Lakehouse lakehouse, Reporter reporter) {
    this.lakehouse = lakehouse;
    this.reporter = reporter;
  }

  /**
   * @param params fixed hyperparameters (maxIter, maxDepth, regParam, factorSize, ...)
   * @param tune search a small grid around {@code params} with TrainValidationSplit
   * @param alsFraction share of the earliest impressions whose time bounds the ALS feature's data
   * @param testFraction share of the latest impressions held out
   * @param truthImpressions the generator's truth (Parquet with impression_id, p_click), or null
   */
  public record Options(
      RankerAlgorithm algorithm,
      Map<String, Double> params,
      boolean tune,
      String label,
      double alsFraction,
      double testFraction,
      int alsRank,
      double alsRegParam,
      double alsAlpha,
      String truthImpressions,
      long seed) {
    public Options {
      params = Map.copyOf(params);
      if (!(alsFraction > 0 && testFraction > 0 && alsFraction + testFraction < 1)) {
        throw JobErrors.invalidInput(
            "the ALS and test fractions must be positive and leave impressions to train on");
      }
    }

    public static Options defaults(RankerAlgorithm algorithm, String truthImpressions) {
      Map<String, Double> params =
          switch (algorithm) {
            case LR -> Map.of("maxIter", 100.0, "regParam", 0.001);
            case GBT -> Map.of("maxIter", 100.0, "maxDepth", 5.0, "stepSize", 0.1);
            case FM ->
                Map.of("maxIter", 100.0, "factorSize", 8.0, "regParam", 0.01, "stepSize", 0.05);
          };
      return new Options(
          algorithm,
          params,
          true,
          RankerTrainingSet.LABEL_CLICK,
          0.3,
          0.2,
          16,
          0.1,
          10.0,
          truthImpressions,
          42);
    }
  }

  /**
   * @param manifestFeatures the inputs as the serving API names them ({@code view:feature} for
   *     feature references, the column name for context), in input order
   */
  public record Result(
      PipelineModel model,
      RankerPipeline exported,
      List<String> manifestFeatures,
      Map<String, Object> params,
      Map<String, Double> metrics,
      Evaluation evaluation,
      Map<TableName, Long> versions,
      Instant windowStart,
      Instant windowEnd) {}

  public Result train(Options options) {
    Checkpoints.ensure(lakehouse);
    long version = lakehouse.version(RankerTrainingSet.NAME);
    if (version < 0) {
      throw JobErrors.notFound(
          "gold.ranker_training_set does not exist yet: run `lakerank features training-set` (or `pipeline run`) first");
    }
    Map<TableName, Long> versions = new LinkedHashMap<>();
    versions.put(RankerTrainingSet.NAME, version);
    versions.putAll(sourceVersions());
    Dataset<Row> rows = lakehouse.read(RankerTrainingSet.NAME, version);
    Row span =
        rows.agg(
                count(lit(1)),
                min(RankerTrainingSet.EVENT_TIMESTAMP),
                max(RankerTrainingSet.EVENT_TIMESTAMP),
                sum(col(options.label())))
            .head();
    if (span.getLong(0) == 0) {
      throw JobErrors.invalidInput(
          "gold.ranker_training_set is empty: the ranker learns from impressions, and "
              + "silver.interactions has none (rating-only data such as MovieLens trains the recommender only)");
    }
    reporter.step(
        String.format(
            "train ranker (%s): %,d impressions, %,d positive (%s)",
            options.algorithm().value(), span.getLong(0), span.getLong(3), options.label()));
    double[] cuts =
        rows.select(col(RankerTrainingSet.EVENT_TIMESTAMP).cast("long").alias("_t"))
            .stat()
            .approxQuantile(
                "_t", new double[] {options.alsFraction(), 1 - options.testFraction()}, 0.001);
    long alsCut = (long) cuts[0];
    long testCut = (long) cuts[1];

    Dataset<Row> scored =
        withAlsScore(rows, alsCut, versions.get(SilverInteractions.NAME), options)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> train = scored.where(col("_t").geq(alsCut).and(col("_t").lt(testCut)));
      Dataset<Row> test = scored.where(col("_t").geq(testCut));
      RankerPipelines pipelines = pipelines(train, options.label());
      Dataset<Row> preparedTrain = pipelines.prepare(train).persist(StorageLevel.MEMORY_AND_DISK());
      Map<String, Object> params = new LinkedHashMap<>(options.params());
      PipelineModel model = fit(pipelines, preparedTrain, options, params);
      preparedTrain.unpersist();

      reporter.step("train ranker: evaluation on the held-out impressions");
      Dataset<Row> predictions =
          model
              .transform(pipelines.prepare(test))
              .withColumn(
                  PROBABILITY, functions.vector_to_array(col("probability"), "float64").getItem(1))
              .select(
                  col(RankerTrainingSet.IMPRESSION_ID),
                  col(PROBABILITY),
                  col(options.label()).cast("double").alias("_y"))
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        List<String> featureNames = pipelines.featureNames(model);
        Map<String, Double> metrics = new LinkedHashMap<>();
        Evaluation evaluation =
            evaluate(predictions, options, metrics, importances(model, featureNames));
        metrics.put("train_rows", (double) train.count());
        RankerPipeline exported = SparkStages.ranker(model, pipelines.inputs(), featureNames);
        List<String> manifestFeatures =
            pipelines.inputs().stream().map(input -> referenceName(input.name())).toList();
        return new Result(
            model,
            exported,
            manifestFeatures,
            params,
            metrics,
            evaluation,
            versions,
            Instant.ofEpochSecond(alsCut),
            ((Timestamp) span.get(2)).toInstant());
      } finally {
        predictions.unpersist();
      }
    } finally {
      scored.unpersist();
    }
  }

  /** {@code user_activity__ctr_7d} is the feature reference {@code user_activity:ctr_7d}. */
  static String referenceName(String column) {
    int at = column.indexOf("__");
    return at > 0 ? column.substring(0, at) + ":" + column.substring(at + 2) : column;
  }

  private Map<TableName, Long> sourceVersions() {
    Map<TableName, Long> versions = new LinkedHashMap<>();
    for (Row row :
        lakehouse
            .spark()
            .sql("SHOW TBLPROPERTIES delta.`" + lakehouse.location(RankerTrainingSet.NAME) + "`")
            .collectAsList()) {
      if (RankerTrainingSet.SOURCE_VERSIONS_PROPERTY.equals(row.getString(0))) {
        for (String entry : row.getString(1).split(",")) {
          int at = entry.lastIndexOf('@');
          if (at > 0) {
            versions.put(
                TableName.parse(entry.substring(0, at)), Long.parseLong(entry.substring(at + 1)));
          }
        }
      }
    }
    return versions;
  }

  /**
   * The rows with {@code als_score}: ALS fitted on the clicks and purchases before {@code alsCut}.
   */
  private Dataset<Row> withAlsScore(
      Dataset<Row> rows, long alsCut, Long silverVersion, Options options) {
    Dataset<Row> interactions =
        silverVersion == null
            ? lakehouse.read(SilverInteractions.NAME)
            : lakehouse.read(SilverInteractions.NAME, silverVersion);
    Dataset<Row> events =
        RecommenderTrainer.events(interactions, RecommenderTrainer.Mode.IMPLICIT)
            .where(col(RecommenderTrainer.TIME).cast("long").lt(alsCut));
    Dataset<Row> withTime =
        rows.withColumn("_t", col(RankerTrainingSet.EVENT_TIMESTAMP).cast("long"));
    if (events.isEmpty()) {
      reporter.detail(
          "no clicks or purchases before the ALS cut: als_score is missing for every row (imputed)");
      return withTime.withColumn(ALS_SCORE, lit(Float.NaN));
    }
    reporter.step(
        String.format(
            "train ranker: ALS for the als_score feature (rank %d), on interactions before %s",
            options.alsRank(), Instant.ofEpochSecond(alsCut)));
    ALSModel als =
        new ALS()
            .setUserCol(RecommenderTrainer.USER)
            .setItemCol(RecommenderTrainer.ITEM)
            .setRatingCol(RecommenderTrainer.RATING)
            .setImplicitPrefs(true)
            .setRank(options.alsRank())
            .setRegParam(options.alsRegParam())
            .setAlpha(options.alsAlpha())
            .setMaxIter(10)
            .setSeed(options.seed())
            .fit(RecommenderTrainer.pairs(events, RecommenderTrainer.Mode.IMPLICIT));
    return als.setUserCol(RankerTrainingSet.USER_ID)
        .setItemCol(RankerTrainingSet.ITEM_ID)
        .setPredictionCol(ALS_SCORE)
        .setColdStartStrategy("nan")
        .transform(withTime);
  }

  /**
   * Numbers and texts: the service's features, the context, the ALS score; all-missing columns left
   * out.
   */
  private RankerPipelines pipelines(Dataset<Row> train, String label) {
    List<String> numeric = new ArrayList<>();
    List<String> text = new ArrayList<>();
    java.util.Set<String> skip =
        java.util.Set.of(
            RankerTrainingSet.IMPRESSION_ID,
            RankerTrainingSet.USER_ID,
            RankerTrainingSet.ITEM_ID,
            RankerTrainingSet.EVENT_TIMESTAMP,
            RankerTrainingSet.LABEL_CLICK,
            RankerTrainingSet.LABEL_PURCHASE,
            "_t");
    for (StructField field : train.schema().fields()) {
      if (skip.contains(field.name())) {
        continue;
      }
      if (field.dataType().equals(DataTypes.StringType)) {
        text.add(field.name());
      } else {
        numeric.add(field.name());
      }
    }
    Row present =
        train
            .agg(
                count(lit(1)),
                numeric.stream()
                    .map(
                        name ->
                            count(
                                when(
                                    col(name)
                                        .isNotNull()
                                        .and(col(name).cast("double").isNaN().unary_$bang()),
                                    lit(1))))
                    .toArray(org.apache.spark.sql.Column[]::new))
            .head();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < numeric.size(); i++) {
      if (present.getLong(i + 1) == 0) {
        reporter.detail(
            "feature "
                + numeric.get(i)
                + " is missing in every training row; left out of this model");
      } else {
        kept.add(numeric.get(i));
      }
    }
    return new RankerPipelines(kept, text, label);
  }

  private PipelineModel fit(
      RankerPipelines pipelines, Dataset<Row> train, Options options, Map<String, Object> params) {
    Pipeline pipeline = pipelines.pipeline(options.algorithm(), options.params(), options.seed());
    PipelineStage[] stages = pipeline.getStages();
    PipelineStage classifier = stages[stages.length - 1];
    if (!options.tune()) {
      reporter.step("train ranker: fit " + options.algorithm().value() + " " + options.params());
      return pipeline.fit(train);
    }
    ParamGridBuilder grid = new ParamGridBuilder();
    if (classifier instanceof LogisticRegression lr) {
      grid.addGrid(lr.regParam(), new double[] {0.0, 0.001, 0.01});
    } else if (classifier instanceof GBTClassifier gbt) {
      grid.addGrid(gbt.maxDepth(), new int[] {3, gbt.getMaxDepth()});
    } else if (classifier instanceof FMClassifier fm) {
      grid.addGrid(fm.regParam(), new double[] {0.0, 0.01});
      grid.addGrid(fm.factorSize(), new int[] {4, fm.getFactorSize()});
    }
    ParamMap[] maps = grid.build();
    reporter.step("train ranker: TrainValidationSplit over " + maps.length + " settings (AUC)");
    TrainValidationSplitModel tvs =
        new TrainValidationSplit()
            .setEstimator(pipeline)
            .setEstimatorParamMaps(maps)
            .setEvaluator(
                new BinaryClassificationEvaluator()
                    .setLabelCol(options.label())
                    .setMetricName("areaUnderROC"))
            .setTrainRatio(0.8)
            .setSeed(options.seed())
            .fit(train);
    double[] aucs = tvs.validationMetrics();
    int best = 0;
    for (int i = 1; i < aucs.length; i++) {
      if (aucs[i] > aucs[best]) {
        best = i;
      }
    }
    maps[best].toList().forEach(pair -> params.put(pair.param().name(), pair.value()));
    params.put("validation_auc", aucs[best]);
    return (PipelineModel) tvs.bestModel();
  }

  private Evaluation evaluate(
      Dataset<Row> predictions,
      Options options,
      Map<String, Double> metrics,
      Map<String, Double> importance) {
    BinaryClassificationMetrics binary =
        new BinaryClassificationMetrics(
            predictions
                .select(PROBABILITY, "_y")
                .toJavaRDD()
                .map(r -> new Tuple2<Object, Object>(r.getDouble(0), r.getDouble(1)))
                .rdd(),
            200);
    double eps = 1e-15;
    org.apache.spark.sql.Column p = least(greatest(col(PROBABILITY), lit(eps)), lit(1 - eps));
    Row summary =
        predictions
            .agg(
                count(lit(1)),
                avg(col("_y")),
                avg(col(PROBABILITY)),
                avg(
                    col("_y")
                        .multiply(log(p))
                        .plus(lit(1).minus(col("_y")).multiply(log(lit(1).minus(p))))
                        .multiply(-1)),
                avg(col(PROBABILITY).minus(col("_y")).multiply(col(PROBABILITY).minus(col("_y")))))
            .head();
    metrics.put("auc", binary.areaUnderROC());
    metrics.put("pr_auc", binary.areaUnderPR());
    metrics.put("log_loss", summary.getDouble(3));
    metrics.put("brier", summary.getDouble(4));
    metrics.put("base_rate", summary.getDouble(1));
    metrics.put("mean_predicted", summary.getDouble(2));
    metrics.put("test_rows", (double) summary.getLong(0));
    List<String> notes = new ArrayList<>();
    if (options.truthImpressions() != null) {
      oracle(predictions, options.truthImpressions(), metrics, notes);
    }
    List<Evaluation.CalibrationBin> calibration = new ArrayList<>();
    for (Row bin :
        predictions
            .groupBy(least(floor(col(PROBABILITY).multiply(10)), lit(9)).alias("_bin"))
            .agg(count(lit(1)), avg(PROBABILITY), avg("_y"))
            .orderBy("_bin")
            .collectAsList()) {
      double lower = bin.getLong(0) / 10.0;
      calibration.add(
          new Evaluation.CalibrationBin(
              lower, lower + 0.1, bin.getLong(1), bin.getDouble(2), bin.getDouble(3)));
    }
    notes.add(
        "Held out: the latest "
            + Math.round(100 * options.testFraction())
            + "% of impressions by time; the ranker was "
            + "fitted on those between the "
            + Math.round(100 * options.alsFraction())
            + "% and "
            + Math.round(100 * (1 - options.testFraction()))
            + "% quantiles, ALS (for als_score) on the clicks and purchases before the first.");
    return new Evaluation(
        metrics,
        points(binary.roc().toJavaRDD().collect()),
        points(binary.pr().toJavaRDD().collect()),
        calibration,
        Map.of(),
        importance,
        notes);
  }

  /** The AUC of the generator's true probabilities on the same test impressions. */
  private void oracle(
      Dataset<Row> predictions,
      String truthImpressions,
      Map<String, Double> metrics,
      List<String> notes) {
    Dataset<Row> truth;
    try {
      truth =
          lakehouse
              .spark()
              .read()
              .parquet(truthImpressions)
              .select(col(GeneratedFiles.IMPRESSION_ID), col(GeneratedFiles.P_CLICK));
    } catch (RuntimeException e) {
      notes.add("No oracle AUC: the generator's truth could not be read at " + truthImpressions);
      return;
    }
    Dataset<Row> joined =
        predictions
            .join(truth, RankerTrainingSet.IMPRESSION_ID)
            .select("p_click", "_y", PROBABILITY);
    long matched = joined.count();
    if (matched == 0) {
      notes.add(
          "No oracle AUC: no test impression is in the generator's truth at " + truthImpressions);
      return;
    }
    double oracle =
        new BinaryClassificationMetrics(
                joined
                    .toJavaRDD()
                    .map(r -> new Tuple2<Object, Object>(r.getDouble(0), r.getDouble(1)))
                    .rdd())
            .areaUnderROC();
    double model =
        new BinaryClassificationMetrics(
                joined
                    .toJavaRDD()
                    .map(r -> new Tuple2<Object, Object>(r.getDouble(2), r.getDouble(1)))
                    .rdd())
            .areaUnderROC();
    metrics.put("oracle_auc", oracle);
    metrics.put("auc_gap_to_oracle", oracle - model);
    notes.add(
        String.format(
            "Oracle AUC %.4f: the generator's true click probabilities on the same %,d test impressions "
                + "(the model's AUC on them: %.4f).",
            oracle, matched, model));
  }

  private static List<Evaluation.Point> points(List<Tuple2<Object, Object>> curve) {
    List<Evaluation.Point> points = new ArrayList<>(curve.size());
    for (Tuple2<Object, Object> point : curve) {
      points.add(new Evaluation.Point((Double) point._1(), (Double) point._2()));
    }
    return points;
  }

  /**
   * Trees: Spark's importances; linear models: |weight| on standardized features. Largest first.
   */
  static Map<String, Double> importances(PipelineModel model, List<String> names) {
    Transformer last = model.stages()[model.stages().length - 1];
    double[] values;
    if (last instanceof GBTClassificationModel gbt) {
      values = gbt.featureImportances().toArray();
    } else if (last instanceof LogisticRegressionModel lr) {
      values = java.util.Arrays.stream(lr.coefficients().toArray()).map(Math::abs).toArray();
    } else if (last instanceof FMClassificationModel fm) {
      values = java.util.Arrays.stream(fm.linear().toArray()).map(Math::abs).toArray();
    } else {
      return Map.of();
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < values.length && i < names.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -values[i]));
    Map<String, Double> out = new LinkedHashMap<>();
    order.forEach(i -> out.put(names.get(i), values[i]));
    return out;
  }
}
