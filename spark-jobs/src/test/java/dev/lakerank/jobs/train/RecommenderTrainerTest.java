package dev.lakerank.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.testing.SharedSpark;
import dev.lakerank.jobs.train.RecommenderTrainer.Mode;
import dev.lakerank.jobs.train.RecommenderTrainer.Options;
import dev.lakerank.jobs.train.RecommenderTrainer.Split;
import dev.lakerank.model.als.Recommendation;
import dev.lakerank.model.als.Recommendations;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommenderTrainerTest {
  static final SparkSession spark = SharedSpark.session();
  static final TasteWorld world = new TasteWorld(7);

  @TempDir static Path directory;
  static Lakehouse clicks;
  static Lakehouse ratings;
  static List<Row> clickRows;
  static List<Row> ratingRows;

  @BeforeAll
  static void lakehouses() {
    clickRows = world.clicks();
    ratingRows = world.ratings();
    clicks = new Lakehouse(spark, directory.resolve("clicks").toString());
    TasteWorld.writeInteractions(clicks, clickRows);
    ratings = new Lakehouse(spark, directory.resolve("ratings").toString());
    TasteWorld.writeInteractions(ratings, ratingRows);
  }

  static Options options(
      Mode mode,
      Split split,
      List<Integer> ranks,
      List<Double> regParams,
      List<Double> alphas,
      List<Integer> ks) {
    return new Options(mode, split, 3, 0.2, ranks, regParams, alphas, 6, ks, 5_000, 42);
  }

  @Test
  void implicitTimeSplitBeatsPopularityAndCountsNewUsersAsFallback() {
    RecommenderTrainer.Result result =
        new RecommenderTrainer(clicks, Reporter.SILENT)
            .train(
                options(
                    Mode.IMPLICIT,
                    Split.TIME,
                    List.of(3),
                    List.of(0.1),
                    List.of(5.0),
                    List.of(10, 5)));
    Map<String, Double> metrics = result.metrics();

    assertThat(result.params())
        .containsEntry("rank", 3)
        .containsEntry("regParam", 0.1)
        .containsEntry("alpha", 5.0)
        .containsEntry("maxIter", 6);
    assertThat(metrics.values()).allSatisfy(value -> assertThat(value).isFinite());
    for (String name : List.of("precision", "recall", "ndcg", "map", "hit_rate")) {
      for (int k : List.of(5, 10)) {
        assertThat(metrics.get(name + "_at_" + k)).as(name + "_at_" + k).isBetween(0.0, 1.0);
      }
      assertThat(result.evaluation().atK().get(name)).containsOnlyKeys(5, 10);
    }
    assertThat(metrics.get("coverage_at_10")).isBetween(0.0, 1.0);
    assertThat(metrics.get("test_pairs")).isPositive();
    assertThat(metrics.get("train_pairs")).isGreaterThan(metrics.get("test_pairs"));

    // every user clicked enough in the first 80% of the time to be judged, plus the newcomer
    double evaluated = metrics.get("evaluated_users");
    assertThat(evaluated)
        .isGreaterThan(TasteWorld.USERS / 2.0)
        .isLessThanOrEqualTo(TasteWorld.USERS + 1);
    // only the newcomer, whose every event is in the test period, gets the popularity fallback
    assertThat(metrics.get("fallback_users_share")).isCloseTo(1 / evaluated, within(1e-12));
    assertThat(result.scorer().knowsUser(TasteWorld.NEWCOMER)).isFalse();
    assertThat(result.scorer().recommend(TasteWorld.NEWCOMER, 5, item -> false).fallback())
        .isTrue();

    // taste is all there is in this world: ALS must clearly beat ranking by popularity
    assertThat(metrics.get("ndcg_at_10")).isGreaterThan(1.5 * metrics.get("popularity_ndcg_at_10"));
    assertThat(metrics.get("hit_rate_at_10"))
        .isGreaterThan(metrics.get("popularity_hit_rate_at_10"));
    Recommendations top = result.scorer().recommend(1, 10, item -> false);
    assertThat(top.fallback()).isFalse();
    assertThat(
            top.items().stream()
                .map(Recommendation::itemId)
                .filter(item -> TasteWorld.group(item) == TasteWorld.group(1)))
        .as("user 1's top 10 are mostly of their taste group")
        .hasSizeGreaterThanOrEqualTo(8);

    assertThat(result.versions())
        .containsEntry(SilverInteractions.NAME, clicks.version(SilverInteractions.NAME));
    assertThat(result.windowStart())
        .isEqualTo(time(clickRows.stream().min(byTime()).orElseThrow()));
    assertThat(result.windowEnd()).isEqualTo(time(clickRows.stream().max(byTime()).orElseThrow()));
  }

  @Test
  void explicitKFoldRmseIsWellBelowTheSpreadOfTheRatings() {
    RecommenderTrainer.Result result =
        new RecommenderTrainer(ratings, Reporter.SILENT)
            .train(
                options(
                    Mode.EXPLICIT, Split.KFOLD, List.of(3), List.of(0.05), List.of(), List.of(10)));
    double mean = ratingRows.stream().mapToDouble(r -> r.getDouble(11)).average().orElseThrow();
    double std =
        Math.sqrt(
            ratingRows.stream()
                .mapToDouble(r -> (r.getDouble(11) - mean) * (r.getDouble(11) - mean))
                .average()
                .orElseThrow());
    Map<String, Double> metrics = result.metrics();

    assertThat(std).isGreaterThan(1.0);
    assertThat(metrics.get("rmse")).isFinite().isPositive().isLessThan(0.5 * std);
    assertThat(metrics.get("mae")).isPositive().isLessThanOrEqualTo(metrics.get("rmse"));
    assertThat(metrics.get("rmse_std"))
        .isFinite()
        .isGreaterThanOrEqualTo(0.0)
        .isLessThan(metrics.get("rmse"));
    assertThat(metrics.get("cold_pairs_share")).isBetween(0.0, 1.0);
    assertThat(metrics.get("ndcg_at_10")).isBetween(0.0, 1.0);
    assertThat(result.evaluation().notes()).anyMatch(note -> note.contains("3-fold"));
    assertThat(result.params())
        .containsEntry("rank", 3)
        .containsEntry("regParam", 0.05)
        .doesNotContainKey("alpha");
  }

  @Test
  void ratingOnlyDataInImplicitModeSaysToUseExplicitMode() {
    RecommenderTrainer trainer = new RecommenderTrainer(ratings, Reporter.SILENT);

    assertThatThrownBy(
            () ->
                trainer.train(
                    options(
                        Mode.IMPLICIT,
                        Split.TIME,
                        List.of(3),
                        List.of(0.1),
                        List.of(1.0),
                        List.of(10))))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("no clicks or purchases")
        .hasMessageContaining("--mode explicit");
  }

  @Test
  void clickOnlyDataInExplicitModeSaysToUseImplicitMode() {
    RecommenderTrainer trainer = new RecommenderTrainer(clicks, Reporter.SILENT);

    assertThatThrownBy(
            () ->
                trainer.train(
                    options(
                        Mode.EXPLICIT,
                        Split.TIME,
                        List.of(3),
                        List.of(0.1),
                        List.of(),
                        List.of(10))))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("no ratings")
        .hasMessageContaining("--mode implicit");
  }

  @Test
  void aMissingInteractionsTableSaysWhichCommandMakesIt() {
    Lakehouse empty = new Lakehouse(spark, directory.resolve("empty").toString());

    assertThatThrownBy(
            () ->
                new RecommenderTrainer(empty, Reporter.SILENT)
                    .train(
                        options(
                            Mode.IMPLICIT,
                            Split.TIME,
                            List.of(3),
                            List.of(0.1),
                            List.of(1.0),
                            List.of(10))))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("silver.interactions does not exist")
        .hasMessageContaining("lakerank transform");
  }

  @Test
  void implicitTuningPicksParamsFromTheGrid() {
    RecommenderTrainer.Result result =
        new RecommenderTrainer(clicks, Reporter.SILENT)
            .train(
                options(
                    Mode.IMPLICIT,
                    Split.RANDOM,
                    List.of(3),
                    List.of(0.1),
                    List.of(1.0, 10.0),
                    List.of(10)));

    assertThat(result.params().get("alpha")).isIn(1.0, 10.0);
    assertThat(result.params()).containsEntry("rank", 3);
    assertThat(result.params()).containsEntry("regParam", 0.1);
    assertThat((Double) result.params().get("validation_ndcg_at_10")).isBetween(0.0, 1.0);
    assertThat(result.model().rank()).isEqualTo(result.params().get("rank"));
    assertThat(result.evaluation().notes()).anyMatch(note -> note.startsWith("Random split: 20%"));
  }

  @Test
  void explicitTuningPicksParamsFromTheGrid() {
    RecommenderTrainer.Result result =
        new RecommenderTrainer(ratings, Reporter.SILENT)
            .train(
                options(
                    Mode.EXPLICIT,
                    Split.TIME,
                    List.of(3),
                    List.of(0.05, 3.0),
                    List.of(),
                    List.of(10)));

    assertThat(result.params()).containsEntry("rank", 3);
    // a regParam of 3 shrinks every factor to almost nothing; validation RMSE must reject it
    assertThat(result.params()).containsEntry("regParam", 0.05);
    assertThat((Double) result.params().get("validation_rmse")).isFinite().isPositive();
    assertThat(result.model().rank()).isEqualTo(result.params().get("rank"));
    assertThat(result.metrics().get("rmse")).isFinite();
  }

  @Test
  void optionsRejectValuesOutOfRange() {
    assertThatThrownBy(
            () ->
                new Options(
                    Mode.IMPLICIT,
                    Split.TIME,
                    3,
                    1.0,
                    List.of(3),
                    List.of(0.1),
                    List.of(1.0),
                    5,
                    List.of(10),
                    10,
                    1))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("got 1.0");
    assertThatThrownBy(
            () ->
                new Options(
                    Mode.IMPLICIT,
                    Split.KFOLD,
                    1,
                    0.2,
                    List.of(3),
                    List.of(0.1),
                    List.of(1.0),
                    5,
                    List.of(10),
                    10,
                    1))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("at least 2 folds");
    assertThatThrownBy(
            () ->
                new Options(
                    Mode.IMPLICIT,
                    Split.TIME,
                    3,
                    0.2,
                    List.of(3),
                    List.of(0.1),
                    List.of(),
                    5,
                    List.of(10),
                    10,
                    1))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("alphas");
    assertThatThrownBy(() -> Mode.parse("both"))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("`both`");
    assertThatThrownBy(() -> Split.parse("later"))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("`later`");
  }

  private static Comparator<Row> byTime() {
    return Comparator.comparing(row -> (Timestamp) row.get(5));
  }

  private static java.time.Instant time(Row row) {
    return ((Timestamp) row.get(5)).toInstant();
  }
}
