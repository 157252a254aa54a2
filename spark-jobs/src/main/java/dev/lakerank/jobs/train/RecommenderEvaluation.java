package dev.lakerank.jobs.train;

import static dev.lakerank.jobs.train.RecommenderTrainer.ITEM;
import static dev.lakerank.jobs.train.RecommenderTrainer.RATING;
import static dev.lakerank.jobs.train.RecommenderTrainer.USER;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.als.Recommendation;
import dev.lakerank.model.als.Recommendations;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.mllib.evaluation.RankingMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Held-out evaluation of a recommender: rating errors (explicit) and top-K metrics over every item
 * with factors, computed with the same scorer the serving API uses.
 */
final class RecommenderEvaluation {
  private final SparkSession spark;
  private final RecommenderTrainer.Mode mode;
  private final List<Integer> ks;
  private final int maxUsers;
  private final long seed;

  RecommenderEvaluation(
      SparkSession spark, RecommenderTrainer.Mode mode, List<Integer> ks, int maxUsers, long seed) {
    this.spark = spark;
    this.mode = mode;
    this.ks = List.copyOf(ks);
    this.maxUsers = maxUsers;
    this.seed = seed;
  }

  /**
   * RMSE and MAE on the test ratings; a pair ALS cannot score gets the item's mean, else the global
   * mean.
   */
  Map<String, Double> errors(ALSModel model, Dataset<Row> train, Dataset<Row> test) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (test.isEmpty()) {
      metrics.put("rmse", Double.NaN);
      metrics.put("mae", Double.NaN);
      return metrics;
    }
    double globalMean = train.agg(avg(RATING)).head().getDouble(0);
    Dataset<Row> predicted =
        model
            .setPredictionCol("_prediction")
            .transform(test.select(USER, ITEM, RATING))
            .join(RecommenderTrainer.itemMeans(train), ITEM, "left_outer")
            .withColumn("_cold", col("_prediction").isNaN())
            .withColumn(
                "_filled",
                RecommenderTrainer.fallback(col("_prediction"), col("_item_mean"), globalMean));
    Row row =
        predicted
            .agg(
                sqrt(avg(pow(col("_filled").minus(col(RATING)), 2))),
                avg(abs(col("_filled").minus(col(RATING)))),
                avg(when(col("_cold"), lit(1.0)).otherwise(lit(0.0))),
                count(lit(1)))
            .head();
    metrics.put("rmse", row.getDouble(0));
    metrics.put("mae", row.getDouble(1));
    metrics.put("cold_pairs_share", row.getDouble(2));
    return metrics;
  }

  /**
   * Precision, recall, NDCG, MAP and hit rate at each K, catalogue coverage at the primary K, and
   * the share of evaluated users who got the popularity fallback; added to {@code metrics} (for
   * every K) and returned by metric and K for the report.
   */
  Map<String, Map<Integer, Double>> ranking(
      AlsScorer scorer, Dataset<Row> train, Dataset<Row> test, Map<String, Double> metrics) {
    Dataset<Row> relevant =
        mode == RecommenderTrainer.Mode.EXPLICIT
            ? test.where(col(RATING).geq(RecommenderTrainer.RELEVANT_RATING))
            : test;
    Dataset<Row> seen = train.groupBy(USER).agg(collect_set(ITEM).alias("_seen"));
    Dataset<Row> wanted =
        relevant
            .select(USER, ITEM)
            .join(train.select(USER, ITEM), new String[] {USER, ITEM}, "left_anti")
            .groupBy(USER)
            .agg(collect_set(ITEM).alias("_relevant"));
    List<Row> users =
        wanted
            .join(seen, new String[] {USER}, "left_outer")
            .orderBy(xxhash64(col(USER), lit(seed)))
            .limit(maxUsers)
            .collectAsList();
    int maxK = Collections.max(ks);
    List<Tuple2<List<Long>, List<Long>>> pairs = Collections.synchronizedList(new ArrayList<>());
    Set<Long> recommendedAtPrimary = Collections.synchronizedSet(new HashSet<>());
    long[] fallbacks = new long[1];
    int primary = ks.get(0);
    users.parallelStream()
        .forEach(
            row -> {
              long user = ((Number) row.get(0)).longValue();
              Set<Long> relevantItems = ids(row.getList(1));
              Set<Long> seenItems = row.isNullAt(2) ? Set.of() : ids(row.getList(2));
              Recommendations top = scorer.recommend(user, maxK, seenItems::contains);
              List<Long> predicted = top.items().stream().map(Recommendation::itemId).toList();
              pairs.add(new Tuple2<>(predicted, new ArrayList<>(relevantItems)));
              predicted.stream().limit(primary).forEach(recommendedAtPrimary::add);
              if (top.fallback()) {
                synchronized (fallbacks) {
                  fallbacks[0]++;
                }
              }
            });
    Map<String, Map<Integer, Double>> atK = new LinkedHashMap<>();
    if (pairs.isEmpty()) {
      metrics.put("evaluated_users", 0.0);
      return atK;
    }
    JavaRDD<Tuple2<List<Long>, List<Long>>> rdd =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(pairs, 2);
    RankingMetrics<Long> ranking = RankingMetrics.of(rdd);
    for (int k : ks.stream().sorted().toList()) {
      put(atK, metrics, "precision", k, ranking.precisionAt(k));
      put(atK, metrics, "recall", k, ranking.recallAt(k));
      put(atK, metrics, "ndcg", k, ranking.ndcgAt(k));
      put(atK, metrics, "map", k, ranking.meanAveragePrecisionAt(k));
      put(atK, metrics, "hit_rate", k, hitRate(pairs, k));
    }
    metrics.put(
        "coverage_at_" + primary,
        recommendedAtPrimary.size() / (double) Math.max(1, scorer.items().size()));
    metrics.put("evaluated_users", (double) pairs.size());
    metrics.put("fallback_users_share", fallbacks[0] / (double) pairs.size());
    return atK;
  }

  private static void put(
      Map<String, Map<Integer, Double>> atK,
      Map<String, Double> metrics,
      String name,
      int k,
      double value) {
    atK.computeIfAbsent(name, n -> new TreeMap<>()).put(k, value);
    metrics.put(name + "_at_" + k, value);
  }

  private static double hitRate(List<Tuple2<List<Long>, List<Long>>> pairs, int k) {
    long hits = 0;
    for (Tuple2<List<Long>, List<Long>> pair : pairs) {
      Set<Long> relevant = new HashSet<>(pair._2());
      if (pair._1().stream().limit(k).anyMatch(relevant::contains)) {
        hits++;
      }
    }
    return hits / (double) pairs.size();
  }

  private static Set<Long> ids(List<Object> values) {
    Set<Long> ids = new HashSet<>(values.size() * 2);
    for (Object value : values) {
      ids.add(((Number) value).longValue());
    }
    return ids;
  }
}
