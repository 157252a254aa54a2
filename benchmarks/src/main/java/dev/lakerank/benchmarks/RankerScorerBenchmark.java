package dev.lakerank.benchmarks;

import dev.lakerank.jobs.train.RankerAlgorithm;
import dev.lakerank.model.ranker.RankerScorer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The exported ranker scored in plain Java ({@link RankerScorer}), one row and a batch of {@value
 * #BATCH} rows (a serving request's candidates), for each kind of classifier. Calls cycle through
 * {@value #ROWS} held-out rows so branches and trees see varied inputs, missing values included.
 */
@State(Scope.Benchmark)
public class RankerScorerBenchmark extends LatencyBenchmark {
  static final int ROWS = 1024;
  static final int BATCH = 200;
  static final long HELD_OUT_SEED = 12;

  @Param({"GBT", "LR", "FM"})
  public RankerAlgorithm algorithm;

  private RankerScorer scorer;
  private Object[][] rows;
  private Object[][][] batches;
  private int nextRow;
  private int nextBatch;

  @Setup
  public void setUp() {
    scorer = RankerModels.scorer(algorithm);
    rows = SyntheticImpressions.generate(HELD_OUT_SEED, ROWS).inputs();
    batches = new Object[ROWS / BATCH][BATCH][];
    for (int b = 0; b < batches.length; b++) {
      System.arraycopy(rows, b * BATCH, batches[b], 0, BATCH);
    }
  }

  @Benchmark
  public double scoreOneRow() {
    return scorer.score(rows[nextRow++ & (ROWS - 1)]);
  }

  @Benchmark
  public double[] scoreBatchOf200() {
    Object[][] batch = batches[nextBatch];
    nextBatch = (nextBatch + 1) % batches.length;
    return scorer.score(batch);
  }
}
