package dev.lakerank.benchmarks;

import dev.lakerank.jobs.train.RankerAlgorithm;
import dev.lakerank.model.ranker.RankerScorer;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The baseline the exported scorers replace: Spark's fitted {@link PipelineModel} scoring one row,
 * as a serving path built on Spark would: a one-row DataFrame, {@code transform}, then collecting
 * the probability to the driver. Same models and held-out rows as {@link RankerScorerBenchmark}.
 */
@State(Scope.Benchmark)
public class SparkTransformBenchmark extends LatencyBenchmark {
  private static final int ROWS = 64;

  @Param({"GBT", "LR", "FM"})
  public RankerAlgorithm algorithm;

  private SparkSession spark;
  private PipelineModel model;
  private StructType schema;
  private Row[] rows;
  private int next;

  @Setup
  public void setUp() {
    spark = RankerModels.startSpark();
    model = RankerModels.sparkModel(spark, algorithm);
    schema = SyntheticImpressions.schema(false);
    Object[][] inputs =
        SyntheticImpressions.generate(RankerScorerBenchmark.HELD_OUT_SEED, ROWS).inputs();
    rows = new Row[ROWS];
    for (int r = 0; r < ROWS; r++) {
      rows[r] = SyntheticImpressions.row(inputs[r]);
    }
    // both sides of the comparison must compute the same thing (ScorerParityTest checks 1e-9 on
    // more rows)
    RankerScorer scorer = RankerModels.scorer(algorithm);
    for (int r = 0; r < 8; r++) {
      double spark = probability(rows[r]);
      double java = scorer.score(inputs[r]);
      if (Math.abs(spark - java) > 1e-9) {
        throw new IllegalStateException(
            algorithm + " row " + r + ": Spark gives " + spark + ", the exported scorer " + java);
      }
    }
  }

  @TearDown
  public void tearDown() {
    spark.stop();
  }

  @Benchmark
  public double transformOneRow() {
    return probability(rows[next++ & (ROWS - 1)]);
  }

  private double probability(Row row) {
    var input = RankerModels.PIPELINES.prepare(spark.createDataFrame(List.of(row), schema));
    Row scored = model.transform(input).select("probability").head();
    return ((Vector) scored.get(0)).apply(1);
  }
}
