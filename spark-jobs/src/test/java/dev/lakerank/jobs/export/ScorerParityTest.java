package dev.lakerank.jobs.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lakerank.jobs.testing.SharedSpark;
import dev.lakerank.jobs.train.RankerAlgorithm;
import dev.lakerank.jobs.train.RankerPipelines;
import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.als.FactorMatrix;
import dev.lakerank.model.als.Popularity;
import dev.lakerank.model.als.Recommendation;
import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.bundle.ModelKind;
import dev.lakerank.model.ranker.RankerPipeline;
import dev.lakerank.model.ranker.RankerScorer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * For every model kind, the exported pure-Java scorer and Spark's {@code transform} agree on 10,000
 * held-out rows to 1e-9 (ALS pair scores: bit for bit). The held-out rows carry what serving meets:
 * missing numbers (null and NaN), missing texts, and texts never seen in training.
 */
class ScorerParityTest {
  static final SparkSession spark = SharedSpark.session();
  static final int HELD_OUT = 10_000;
  static final List<String> NUMERIC = List.of("x1", "x2", "x3", "counts", "als_score");
  static final List<String> TEXT = List.of("category", "device");
  static final RankerPipelines PIPELINES = new RankerPipelines(NUMERIC, TEXT, "label");

  static Dataset<Row> training;
  static Dataset<Row> heldOut;

  @TempDir Path directory;

  @BeforeAll
  static void data() {
    StructType schema =
        new StructType()
            .add("id", DataTypes.LongType, false)
            .add("x1", DataTypes.DoubleType, true)
            .add("x2", DataTypes.DoubleType, true)
            .add("x3", DataTypes.FloatType, true)
            .add("counts", DataTypes.LongType, true)
            .add("als_score", DataTypes.FloatType, true)
            .add("category", DataTypes.StringType, true)
            .add("device", DataTypes.StringType, true)
            .add("label", DataTypes.IntegerType, false);
    training = spark.createDataFrame(rows(0, 4_000, 11, false), schema).cache();
    heldOut = spark.createDataFrame(rows(100_000, HELD_OUT, 12, true), schema).cache();
  }

  private static List<Row> rows(long firstId, int count, long seed, boolean unseen) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] categories = {"books", "toys", "home", "music", "games", "garden"};
    String[] devices = {"mobile", "desktop", "tablet"};
    List<Row> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextDouble() * 10;
      float x3 = (float) random.nextGaussian();
      long counts = random.nextInt(1000);
      float als = (float) random.nextGaussian();
      int c = random.nextInt(categories.length);
      double logit =
          -1
              + 0.8 * x1
              - 0.1 * x2
              + 0.5 * x3
              + 0.001 * counts
              + 0.9 * als
              + (c % 2 == 0 ? 0.4 : -0.3);
      int label = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      String category = random.nextInt(25) == 0 ? null : categories[c];
      if (unseen && random.nextInt(40) == 0) {
        category = "never-seen";
      }
      rows.add(
          RowFactory.create(
              firstId + i,
              random.nextInt(20) == 0 ? null : x1,
              random.nextInt(30) == 0 ? Double.NaN : x2,
              random.nextInt(20) == 0 ? null : x3,
              random.nextInt(50) == 0 ? null : counts,
              random.nextInt(10) == 0 ? Float.NaN : als,
              category,
              random.nextInt(30) == 0 ? null : devices[random.nextInt(devices.length)],
              label));
    }
    return rows;
  }

  @ParameterizedTest
  @EnumSource(RankerAlgorithm.class)
  void rankerScorerAgreesWithSparkTransform(RankerAlgorithm algorithm) {
    Map<String, Double> params =
        switch (algorithm) {
          case LR -> Map.of("regParam", 0.01, "maxIter", 50.0);
          case GBT -> Map.of("maxIter", 30.0, "maxDepth", 5.0);
          case FM -> Map.of("maxIter", 30.0, "factorSize", 4.0);
        };
    PipelineModel model = PIPELINES.pipeline(algorithm, params, 7).fit(PIPELINES.prepare(training));
    RankerPipeline exported =
        SparkStages.ranker(model, PIPELINES.inputs(), PIPELINES.featureNames(model));
    BundleWriter writer = new BundleWriter(directory.resolve("bundle"));
    writer.writeJson(RankerPipeline.FILE, exported);
    ModelBundle bundle = writer.finish(manifest(algorithm.kind()));
    RankerScorer scorer = RankerScorer.load(bundle);

    List<Row> scored =
        model.transform(PIPELINES.prepare(heldOut)).select("id", columns()).collectAsList();

    assertThat(scored).hasSize(HELD_OUT);
    assertThat(exported.featureNames()).hasSize(scorer.pipeline().model().features());
    int compared = 0;
    for (Row row : scored) {
      Object[] input = new Object[NUMERIC.size() + TEXT.size()];
      for (int i = 0; i < input.length; i++) {
        input[i] = row.get(i + 1);
      }
      double spark = ((Vector) row.getAs("probability")).apply(1);
      assertThat(scorer.score(input)).as("row %s", row).isCloseTo(spark, within(1e-9));
      compared++;
    }
    assertThat(compared).isEqualTo(HELD_OUT);
  }

  private static String[] columns() {
    List<String> columns = new ArrayList<>(NUMERIC);
    columns.addAll(TEXT);
    columns.add("probability");
    return columns.toArray(String[]::new);
  }

  @Test
  void alsScorerAgreesWithSparkTransformBitForBit() {
    StructType schema =
        new StructType()
            .add("user_id", DataTypes.IntegerType, false)
            .add("item_id", DataTypes.IntegerType, false)
            .add("rating", DataTypes.FloatType, false);
    SplittableRandom random = new SplittableRandom(5);
    List<Row> ratings = new ArrayList<>();
    for (int i = 0; i < 8_000; i++) {
      ratings.add(
          RowFactory.create(
              random.nextInt(300), random.nextInt(400), (float) (1 + random.nextInt(5))));
    }
    ALSModel model =
        new ALS()
            .setRank(12)
            .setMaxIter(5)
            .setRegParam(0.1)
            .setSeed(3)
            .setUserCol("user_id")
            .setItemCol("item_id")
            .setRatingCol("rating")
            .fit(spark.createDataFrame(ratings, schema));
    BundleWriter writer = new BundleWriter(directory.resolve("als"));
    AlsExport.write(writer, model, new Popularity(List.of(1L, 2L), List.of(0.6, 0.4)));
    AlsScorer scorer = AlsScorer.load(writer.finish(manifest(ModelKind.ALS)));

    List<Row> pairs = new ArrayList<>();
    for (int i = 0; i < HELD_OUT; i++) {
      // a few ids past those trained on: Spark and the scorer both give NaN
      pairs.add(RowFactory.create(random.nextInt(310), random.nextInt(410), 0f));
    }
    List<Row> predicted = model.transform(spark.createDataFrame(pairs, schema)).collectAsList();

    assertThat(predicted).hasSize(HELD_OUT);
    int unknown = 0;
    for (Row row : predicted) {
      float spark = row.getFloat(3);
      float java = scorer.score(row.getInt(0), row.getInt(1));
      if (Float.isNaN(spark)) {
        unknown++;
        assertThat(java).isNaN();
      } else {
        assertThat(Float.floatToIntBits(java))
            .as("pair %s", row)
            .isEqualTo(Float.floatToIntBits(spark));
      }
    }
    assertThat(unknown).isPositive();

    // exact top 10 over all items: the same scores as Spark's recommendForAllUsers (whose BLAS
    // may round the last bit differently, hence the tolerance on scores rather than ids)
    Map<Integer, List<Float>> sparkTop = new HashMap<>();
    for (Row row : model.recommendForAllUsers(10).collectAsList()) {
      List<Float> scores = new ArrayList<>();
      for (Row item : row.<Row>getList(1)) {
        scores.add(item.getFloat(1));
      }
      sparkTop.put(row.getInt(0), scores);
    }
    FactorMatrix users = scorer.users();
    for (int u = 0; u < users.size(); u++) {
      List<Recommendation> top = scorer.recommend(users.id(u), 10, id -> false).items();
      List<Float> expected = sparkTop.get((int) users.id(u));
      assertThat(top).hasSameSizeAs(expected);
      for (int n = 0; n < top.size(); n++) {
        assertThat(top.get(n).score()).isCloseTo(expected.get(n), within(1e-5));
      }
    }
  }

  private static Manifest manifest(ModelKind kind) {
    return new Manifest(
        Manifest.FORMAT_VERSION,
        "parity",
        0,
        kind,
        Instant.parse("2026-01-01T00:00:00Z").toString(),
        spark.version(),
        Map.of(),
        List.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of());
  }
}
