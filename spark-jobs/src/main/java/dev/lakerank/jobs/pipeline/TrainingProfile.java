package dev.lakerank.jobs.pipeline;

import dev.lakerank.jobs.train.Choices;
import dev.lakerank.jobs.train.RankerAlgorithm;
import dev.lakerank.jobs.train.RankerTrainer;
import dev.lakerank.jobs.train.RecommenderTrainer;
import java.util.List;
import java.util.Map;

/** How much work {@code pipeline run} spends on training. */
public enum TrainingProfile {
  /** Tuned: ALS over rank, regParam and alpha; the GBT ranker (100 trees) over depth. */
  FULL,
  /** Fixed settings, no tuning, a 50-tree ranker: for the demo and tests. */
  QUICK;

  public static TrainingProfile parse(String text) {
    return Choices.parse(TrainingProfile.class, text, "training profile");
  }

  public RecommenderTrainer.Options recommender(RecommenderTrainer.Mode mode) {
    RecommenderTrainer.Options defaults = RecommenderTrainer.Options.defaults(mode);
    if (this == FULL) {
      return defaults;
    }
    return new RecommenderTrainer.Options(
        mode,
        defaults.split(),
        defaults.folds(),
        defaults.testFraction(),
        List.of(16),
        List.of(0.1),
        List.of(10.0),
        defaults.maxIter(),
        defaults.ks(),
        defaults.evaluationUsers(),
        defaults.seed());
  }

  public RankerTrainer.Options ranker(String truthImpressions) {
    RankerTrainer.Options defaults =
        RankerTrainer.Options.defaults(RankerAlgorithm.GBT, truthImpressions);
    if (this == FULL) {
      return defaults;
    }
    return new RankerTrainer.Options(
        defaults.algorithm(),
        Map.of("maxIter", 50.0, "maxDepth", 5.0, "stepSize", 0.1),
        false,
        defaults.label(),
        defaults.alsFraction(),
        defaults.testFraction(),
        defaults.alsRank(),
        defaults.alsRegParam(),
        defaults.alsAlpha(),
        truthImpressions,
        defaults.seed());
  }
}
