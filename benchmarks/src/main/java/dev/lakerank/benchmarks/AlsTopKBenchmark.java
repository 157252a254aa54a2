package dev.lakerank.benchmarks;

import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.als.FactorMatrix;
import dev.lakerank.model.als.Popularity;
import dev.lakerank.model.als.Recommendation;
import dev.lakerank.model.als.Recommendations;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Exact top-{@value #K} over {@value #ITEMS} items at rank {@value #RANK} with {@link
 * AlsScorer#recommend}, each user excluding {@value #EXCLUDED} items (what they already interacted
 * with): half of them from the user's own best items, so exclusion changes the answer. Factors are
 * random (Gaussian, as ALS factors look), built directly: the cost depends only on the sizes.
 */
@State(Scope.Benchmark)
public class AlsTopKBenchmark extends LatencyBenchmark {
  static final int ITEMS = 100_000;
  static final int RANK = 64;
  static final int USERS = 64;
  static final int EXCLUDED = 50;
  static final int K = 10;

  private AlsScorer scorer;
  private long[] userIds;
  private LongPredicate[] exclusions;
  private int next;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(21);
    userIds = new long[USERS];
    for (int u = 0; u < USERS; u++) {
      userIds[u] = 500_000L + 7L * u;
    }
    long[] itemIds = new long[ITEMS];
    for (int i = 0; i < ITEMS; i++) {
      itemIds[i] = 1_000_000L + 3L * i;
    }
    scorer =
        new AlsScorer(
            new FactorMatrix(RANK, userIds, gaussian(random, USERS * RANK)),
            new FactorMatrix(RANK, itemIds, gaussian(random, ITEMS * RANK)),
            new Popularity(List.of(), List.of()));
    exclusions = new LongPredicate[USERS];
    for (int u = 0; u < USERS; u++) {
      Set<Long> excluded = new HashSet<>();
      List<Recommendation> best = scorer.recommend(userIds[u], 2 * EXCLUDED, id -> false).items();
      for (int n = 0; n < EXCLUDED / 2; n++) {
        excluded.add(best.get(2 * n).itemId());
      }
      while (excluded.size() < EXCLUDED) {
        excluded.add(itemIds[random.nextInt(ITEMS)]);
      }
      exclusions[u] = excluded::contains;
      Recommendations top = scorer.recommend(userIds[u], K, exclusions[u]);
      if (top.items().size() != K
          || top.items().stream().anyMatch(r -> excluded.contains(r.itemId()))) {
        throw new IllegalStateException(
            "user "
                + userIds[u]
                + ": top "
                + K
                + " is "
                + top.items()
                + " with exclusions "
                + excluded);
      }
    }
  }

  private static float[] gaussian(SplittableRandom random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (random.nextGaussian() * 0.3);
    }
    return values;
  }

  @Benchmark
  public Recommendations recommendTop10() {
    int u = next++ & (USERS - 1);
    return scorer.recommend(userIds[u], K, exclusions[u]);
  }
}
