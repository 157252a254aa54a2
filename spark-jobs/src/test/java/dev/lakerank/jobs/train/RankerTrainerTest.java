package dev.lakerank.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.RankerTrainingSet;
import dev.lakerank.jobs.testing.SharedSpark;
import dev.lakerank.model.bundle.Evaluation;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.ranker.Input;
import dev.lakerank.model.ranker.RankerScorer;
import dev.lakerank.model.registry.LocalModelRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankerTrainerTest {
  static final SparkSession spark = SharedSpark.session();
  static final TasteWorld world = new TasteWorld(11);
  static final int IMPRESSIONS = 1_500;

  @TempDir static Path directory;
  static Lakehouse lakehouse;
  static List<TasteWorld.Impression> impressions;
  static String truth;
  static RankerTrainer.Options options;
  static RankerTrainer.Result result;

  @BeforeAll
  static void trainOnce() {
    lakehouse = new Lakehouse(spark, directory.resolve("lakehouse").toString());
    TasteWorld.writeInteractions(lakehouse, world.clicks());
    impressions = world.impressions(IMPRESSIONS);
    TasteWorld.writeTrainingSet(lakehouse, impressions);
    truth = directory.resolve("truth").toString();
    spark
        .createDataFrame(
            impressions.stream().map(TasteWorld.Impression::truthRow).toList(),
            TasteWorld.TRUTH_SCHEMA)
        .write()
        .parquet(truth);
    options =
        new RankerTrainer.Options(
            RankerAlgorithm.LR,
            Map.of("maxIter", 30.0, "regParam", 0.01),
            false,
            RankerTrainingSet.LABEL_CLICK,
            0.3,
            0.2,
            4,
            0.1,
            5.0,
            truth,
            42);
    result = new RankerTrainer(lakehouse, Reporter.SILENT).train(options);
  }

  @Test
  void learnsTheFeatureTheLabelDependsOn() {
    Map<String, Double> metrics = result.metrics();
    double baseRate = metrics.get("base_rate");
    double baseRateLogLoss =
        -(baseRate * Math.log(baseRate) + (1 - baseRate) * Math.log(1 - baseRate));

    assertThat(metrics.get("auc")).isGreaterThan(0.6).isLessThanOrEqualTo(1.0);
    assertThat(metrics.get("pr_auc")).isGreaterThan(baseRate);
    assertThat(metrics.get("log_loss")).isPositive().isLessThan(baseRateLogLoss);
    assertThat(metrics.get("brier")).isPositive().isLessThan(baseRate * (1 - baseRate));
    assertThat(metrics.get("test_rows")).isCloseTo(0.2 * IMPRESSIONS, within(0.02 * IMPRESSIONS));
    assertThat(metrics.get("train_rows")).isCloseTo(0.5 * IMPRESSIONS, within(0.02 * IMPRESSIONS));
    assertThat(result.evaluation().featureImportance().keySet()).first().isEqualTo(TasteWorld.CTR);
    assertThat(result.params()).containsEntry("maxIter", 30.0).containsEntry("regParam", 0.01);
    assertThat(result.manifestFeatures())
        .contains(
            "user_activity:ctr_7d",
            "item_profile:category",
            RankerTrainer.ALS_SCORE,
            RankerTrainingSet.DEVICE)
        .doesNotContain(
            RankerTrainingSet.LABEL_CLICK,
            RankerTrainingSet.LABEL_PURCHASE,
            RankerTrainingSet.USER_ID,
            RankerTrainingSet.IMPRESSION_ID);
    assertThat(result.versions())
        .containsEntry(RankerTrainingSet.NAME, lakehouse.version(RankerTrainingSet.NAME));
  }

  @Test
  void oracleAucIsThatOfTheTrueProbabilitiesOnTheTestImpressions() {
    Map<String, Double> metrics = result.metrics();
    // impressions are in time order, so the test part is the latest test_rows of them
    List<TasteWorld.Impression> test =
        impressions.subList(IMPRESSIONS - metrics.get("test_rows").intValue(), IMPRESSIONS);

    assertThat(metrics.get("oracle_auc")).isCloseTo(auc(test), within(1e-9));
    // the truth covers every test impression, so the matched rows are all of them
    assertThat(metrics.get("auc_gap_to_oracle"))
        .isCloseTo(metrics.get("oracle_auc") - metrics.get("auc"), within(1e-9));
    assertThat(result.evaluation().notes()).anyMatch(note -> note.startsWith("Oracle AUC"));
  }

  @Test
  void calibrationBinsCoverEveryTestRow() {
    Evaluation evaluation = result.evaluation();

    assertThat(evaluation.calibration()).isNotEmpty();
    assertThat(evaluation.calibration().stream().mapToLong(Evaluation.CalibrationBin::count).sum())
        .isEqualTo(result.metrics().get("test_rows").longValue());
    assertThat(evaluation.calibration())
        .allSatisfy(
            bin -> {
              assertThat(bin.meanPredicted()).isBetween(bin.lower(), bin.upper());
              assertThat(bin.observedRate()).isBetween(0.0, 1.0);
            });
    assertThat(evaluation.roc()).isNotEmpty();
    assertThat(evaluation.roc().get(0)).isEqualTo(new Evaluation.Point(0, 0));
    assertThat(evaluation.roc().get(evaluation.roc().size() - 1))
        .isEqualTo(new Evaluation.Point(1, 1));
    assertThat(evaluation.pr()).isNotEmpty();
  }

  @Test
  void exportedPipelineScoresLikeTheSparkModel() {
    List<Input> inputs = result.exported().inputs();
    StructType schema = new StructType();
    for (Input input : inputs) {
      schema =
          schema.add(
              input.name(),
              input.type() == Input.InputType.NUMERIC ? DataTypes.DoubleType : DataTypes.StringType,
              true);
    }
    SplittableRandom random = new SplittableRandom(3);
    List<Object[]> values = new ArrayList<>();
    for (int r = 0; r < 12; r++) {
      Object[] row = new Object[inputs.size()];
      for (int i = 0; i < row.length; i++) {
        boolean missing = r % 4 == 0 && i == r / 4 % row.length;
        if (inputs.get(i).type() == Input.InputType.NUMERIC) {
          row[i] = missing ? null : random.nextDouble() * 3;
        } else {
          row[i] = missing ? null : r % 5 == 0 ? "never-seen" : TasteWorld.CATEGORIES.get(r % 3);
        }
      }
      values.add(row);
    }
    List<Row> sparkRows = new ArrayList<>();
    values.forEach(row -> sparkRows.add(RowFactory.create(row)));
    List<Row> scored =
        result
            .model()
            .transform(spark.createDataFrame(sparkRows, schema))
            .select("probability")
            .collectAsList();
    RankerScorer scorer = new RankerScorer(result.exported());

    for (int r = 0; r < values.size(); r++) {
      double expected = ((Vector) scored.get(r).get(0)).apply(1);
      assertThat(scorer.score(values.get(r))).as("row %d", r).isCloseTo(expected, within(1e-9));
    }
  }

  @Test
  void registeredBundleScoresLikeTheExportedPipeline() {
    LocalModelRegistry registry =
        new LocalModelRegistry(directory.resolve("registry"), Clock.systemUTC());
    Lakehouse runs = new Lakehouse(spark, directory.resolve("runs").toString());
    Instant started = Instant.parse("2026-02-01T00:00:00Z");

    ModelTraining.Registered registered =
        new ModelTraining(
                runs, registry, Clock.fixed(started, ZoneOffset.UTC), Reporter.SILENT, "test")
            .ranker("ranker", options, result, Promotion.AUTO, started);
    ModelBundle bundle = ModelBundle.open(registered.version().bundle());
    RankerScorer loaded = RankerScorer.load(bundle);
    Object[] row = new Object[loaded.inputs().size()];

    assertThat(registered.alias()).contains("champion");
    assertThat(registered.primaryMetric()).isEqualTo("auc");
    assertThat(bundle.manifest().features()).isEqualTo(result.manifestFeatures());
    assertThat(bundle.manifest().lineage()).containsEntry("label", RankerTrainingSet.LABEL_CLICK);
    assertThat(loaded.score(row))
        .isCloseTo(new RankerScorer(result.exported()).score(row), within(1e-12));
  }

  @Test
  void tuningPicksTheRegularizationFromItsGridAndSkipsTheOracleWithoutTruth() {
    RankerTrainer.Options tuned =
        new RankerTrainer.Options(
            RankerAlgorithm.LR,
            Map.of("maxIter", 20.0),
            true,
            RankerTrainingSet.LABEL_CLICK,
            0.3,
            0.2,
            4,
            0.1,
            5.0,
            null,
            42);

    RankerTrainer.Result tunedResult = new RankerTrainer(lakehouse, Reporter.SILENT).train(tuned);

    assertThat((Double) tunedResult.params().get("regParam")).isIn(0.0, 0.001, 0.01);
    assertThat((Double) tunedResult.params().get("validation_auc")).isBetween(0.5, 1.0);
    assertThat(tunedResult.metrics()).doesNotContainKeys("oracle_auc", "auc_gap_to_oracle");
    assertThat(tunedResult.metrics().get("auc")).isGreaterThan(0.6);
  }

  @Test
  void anEmptyTrainingSetIsRefusedWithAReason() {
    Lakehouse empty = new Lakehouse(spark, directory.resolve("empty").toString());
    TasteWorld.writeTrainingSet(empty, List.of());

    assertThatThrownBy(() -> new RankerTrainer(empty, Reporter.SILENT).train(options))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("gold.ranker_training_set is empty");
  }

  @Test
  void aMissingTrainingSetSaysWhichCommandMakesIt() {
    Lakehouse none = new Lakehouse(spark, directory.resolve("none").toString());

    assertThatThrownBy(() -> new RankerTrainer(none, Reporter.SILENT).train(options))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("does not exist yet")
        .hasMessageContaining("lakerank features training-set");
  }

  /** Mann-Whitney: the share of (positive, negative) pairs the true probability orders right. */
  private static double auc(List<TasteWorld.Impression> rows) {
    double concordant = 0;
    long pairs = 0;
    for (TasteWorld.Impression positive : rows) {
      if (!positive.click()) {
        continue;
      }
      for (TasteWorld.Impression negative : rows) {
        if (negative.click()) {
          continue;
        }
        pairs++;
        concordant +=
            positive.pClick() > negative.pClick()
                ? 1
                : positive.pClick() == negative.pClick() ? 0.5 : 0;
      }
    }
    return concordant / pairs;
  }
}
