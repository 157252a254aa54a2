package dev.lakerank.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.TrainingRuns;
import dev.lakerank.jobs.testing.SharedSpark;
import dev.lakerank.jobs.train.RecommenderTrainer.Mode;
import dev.lakerank.jobs.train.RecommenderTrainer.Options;
import dev.lakerank.jobs.train.RecommenderTrainer.Split;
import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.bundle.Evaluation;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.bundle.ModelKind;
import dev.lakerank.model.registry.LocalModelRegistry;
import dev.lakerank.model.registry.ModelRegistry;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registration and promotion with one small trained recommender, registered again and again with
 * the primary metric set by hand, so each policy meets a better and a worse newcomer.
 */
class ModelTrainingTest {
  static final SparkSession spark = SharedSpark.session();
  static final Instant STARTED = Instant.parse("2026-02-01T10:00:00Z");
  static final Instant FINISHED = Instant.parse("2026-02-01T10:05:00Z");

  @TempDir static Path shared;
  static Lakehouse silver;
  static Options options;
  static RecommenderTrainer.Result trained;

  @TempDir Path directory;
  Lakehouse lakehouse;
  LocalModelRegistry registry;
  ModelTraining training;

  @BeforeAll
  static void trainOnce() {
    silver = new Lakehouse(spark, shared.resolve("lakehouse").toString());
    TasteWorld.writeInteractions(silver, new TasteWorld(3).clicks());
    options =
        new Options(
            Mode.IMPLICIT,
            Split.TIME,
            3,
            0.2,
            List.of(3),
            List.of(0.1),
            List.of(5.0),
            5,
            List.of(10),
            5_000,
            42);
    trained = new RecommenderTrainer(silver, Reporter.SILENT).train(options);
  }

  @BeforeEach
  void registry() {
    lakehouse = new Lakehouse(spark, directory.resolve("lakehouse").toString());
    registry =
        new LocalModelRegistry(
            directory.resolve("registry"), Clock.fixed(FINISHED, ZoneOffset.UTC));
    training =
        new ModelTraining(
            lakehouse, registry, Clock.fixed(FINISHED, ZoneOffset.UTC), Reporter.SILENT, "test");
  }

  private ModelTraining.Registered register(String metric, double value, Promotion promotion) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(metric, value);
    metrics.put("evaluated_users", 80.0);
    RecommenderTrainer.Result result =
        new RecommenderTrainer.Result(
            trained.model(),
            trained.scorer(),
            trained.params(),
            metrics,
            trained.evaluation(),
            trained.popularity(),
            trained.versions(),
            trained.windowStart(),
            trained.windowEnd(),
            trained.seen());
    return training.recommender("recommender", options, result, promotion, STARTED);
  }

  private Map<String, Integer> aliases() {
    return registry.aliases("recommender");
  }

  @Test
  void autoMakesTheFirstChampionAndAWorseOneChallengerAndABetterOneChampion() {
    ModelTraining.Registered first = register("ndcg_at_10", 0.30, Promotion.AUTO);
    assertThat(first.alias()).contains(ModelRegistry.CHAMPION);
    assertThat(first.primaryMetric()).isEqualTo("ndcg_at_10");
    assertThat(first.decision()).contains("the first");
    assertThat(aliases()).containsExactly(entry(ModelRegistry.CHAMPION, 1));

    ModelTraining.Registered worse = register("ndcg_at_10", 0.20, Promotion.AUTO);
    assertThat(worse.alias()).contains(ModelRegistry.CHALLENGER);
    assertThat(worse.decision()).contains("0.2000").contains("v1").contains("0.3000");
    assertThat(aliases())
        .containsEntry(ModelRegistry.CHAMPION, 1)
        .containsEntry(ModelRegistry.CHALLENGER, 2);

    ModelTraining.Registered better = register("ndcg_at_10", 0.35, Promotion.AUTO);
    assertThat(better.alias()).contains(ModelRegistry.CHAMPION);
    assertThat(aliases())
        .containsEntry(ModelRegistry.CHAMPION, 3)
        .containsEntry(ModelRegistry.CHALLENGER, 2);
  }

  @Test
  void alwaysPromotesAWorseModelAndNeverHoldsBackABetterOne() {
    register("ndcg_at_10", 0.30, Promotion.AUTO);

    assertThat(register("ndcg_at_10", 0.10, Promotion.ALWAYS).alias())
        .contains(ModelRegistry.CHAMPION);
    assertThat(aliases()).containsEntry(ModelRegistry.CHAMPION, 2);

    ModelTraining.Registered held = register("ndcg_at_10", 0.90, Promotion.NEVER);
    assertThat(held.alias()).contains(ModelRegistry.CHALLENGER);
    assertThat(held.decision()).contains("--promote never");
    assertThat(aliases())
        .containsEntry(ModelRegistry.CHAMPION, 2)
        .containsEntry(ModelRegistry.CHALLENGER, 3);
  }

  @Test
  void neverLeavesAnEmptyRegistryWithoutAChampion() {
    assertThat(register("ndcg_at_10", 0.30, Promotion.NEVER).alias())
        .contains(ModelRegistry.CHALLENGER);
    assertThat(aliases()).containsExactly(entry(ModelRegistry.CHALLENGER, 1));
  }

  @Test
  void withoutNdcgTheLowerRmseWins() {
    register("rmse", 0.90, Promotion.AUTO);

    ModelTraining.Registered worse = register("rmse", 1.10, Promotion.AUTO);
    assertThat(worse.primaryMetric()).isEqualTo("rmse");
    assertThat(worse.alias()).contains(ModelRegistry.CHALLENGER);

    assertThat(register("rmse", 0.80, Promotion.AUTO).alias()).contains(ModelRegistry.CHAMPION);
    assertThat(aliases())
        .containsEntry(ModelRegistry.CHAMPION, 3)
        .containsEntry(ModelRegistry.CHALLENGER, 2);
  }

  @Test
  void eachRegistrationAppendsOneTrainingRun() {
    ModelTraining.Registered first = register("ndcg_at_10", 0.30, Promotion.AUTO);
    register("ndcg_at_10", 0.20, Promotion.AUTO);

    List<Row> runs = lakehouse.read(TrainingRuns.NAME).orderBy("version").collectAsList();

    assertThat(runs).hasSize(2);
    Row run = runs.get(0);
    assertThat(run.<String>getAs("run_id")).isEqualTo("train-" + STARTED.getEpochSecond());
    assertThat(run.<String>getAs("model")).isEqualTo("recommender");
    assertThat(run.<Integer>getAs("version")).isEqualTo(1);
    assertThat(run.<String>getAs("kind")).isEqualTo(ModelKind.ALS.value());
    assertThat(run.<Timestamp>getAs("started_at").toInstant()).isEqualTo(STARTED);
    assertThat(run.<Timestamp>getAs("finished_at").toInstant()).isEqualTo(FINISHED);
    assertThat(run.<scala.collection.Map<String, Double>>getAs("metrics").get("ndcg_at_10").get())
        .isEqualTo(0.30);
    assertThat(run.<scala.collection.Map<String, String>>getAs("params").get("rank").get())
        .isEqualTo("3");
    assertThat(
            run.<scala.collection.Map<String, Long>>getAs("training_tables")
                .get(SilverInteractions.NAME.toString())
                .get())
        .isEqualTo(silver.version(SilverInteractions.NAME));
    assertThat(run.<Timestamp>getAs("window_start").toInstant()).isEqualTo(trained.windowStart());
    assertThat(run.<Timestamp>getAs("window_end").toInstant()).isEqualTo(trained.windowEnd());
    assertThat(run.<String>getAs("alias")).isEqualTo(ModelRegistry.CHAMPION);
    assertThat(run.<String>getAs("bundle")).isEqualTo(first.version().bundle().toString());
    assertThat(runs.get(1).<Integer>getAs("version")).isEqualTo(2);
    assertThat(runs.get(1).<String>getAs("alias")).isEqualTo(ModelRegistry.CHALLENGER);
  }

  @Test
  void theBundleOpensWithItsEvaluationAndOnlyFiniteMetrics() {
    Map<String, Double> metrics = new LinkedHashMap<>(trained.metrics());
    metrics.put("map_at_20", Double.NaN);
    RecommenderTrainer.Result result =
        new RecommenderTrainer.Result(
            trained.model(),
            trained.scorer(),
            trained.params(),
            metrics,
            trained.evaluation(),
            trained.popularity(),
            trained.versions(),
            trained.windowStart(),
            trained.windowEnd(),
            trained.seen());

    ModelTraining.Registered registered =
        training.recommender("recommender", options, result, Promotion.AUTO, STARTED);
    ModelBundle bundle = ModelBundle.open(registered.version().bundle());
    Evaluation evaluation = bundle.readJson(Evaluation.FILE, Evaluation.class);
    AlsScorer scorer = AlsScorer.load(bundle);

    assertThat(bundle.manifest().version()).isEqualTo(1);
    assertThat(bundle.manifest().kind()).isEqualTo(ModelKind.ALS);
    assertThat(bundle.manifest().metrics())
        .doesNotContainKey("map_at_20")
        .containsEntry("ndcg_at_10", trained.metrics().get("ndcg_at_10"));
    assertThat(bundle.manifest().trainingTables())
        .containsEntry("silver.interactions", silver.version(SilverInteractions.NAME));
    assertThat(bundle.manifest().lineage())
        .containsEntry("mode", "implicit")
        .containsEntry("split", "time")
        .containsEntry("data_window_start", trained.windowStart().toString());
    assertThat(evaluation.metrics())
        .containsEntry("ndcg_at_10", trained.metrics().get("ndcg_at_10"));
    assertThat(evaluation.atK()).containsKey("ndcg");
    assertThat(scorer.score(1, 3)).isEqualTo(trained.scorer().score(1, 3));
  }
}
