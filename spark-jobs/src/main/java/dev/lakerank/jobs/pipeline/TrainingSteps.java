package dev.lakerank.jobs.pipeline;

import static org.apache.spark.sql.functions.col;

import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.RankerTrainingSet;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.train.ModelTraining;
import dev.lakerank.jobs.train.Promotion;
import dev.lakerank.jobs.train.RecommenderTrainer;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import dev.lakerank.model.report.ModelReport;
import java.nio.file.Path;

/** The pipeline's training steps: each trains, registers and reports one model. */
final class TrainingSteps {
  private TrainingSteps() {}

  /** ALS on silver: implicit when there are clicks or purchases, explicit on ratings alone. */
  record TrainRecommender(
      Lakehouse lakehouse,
      ModelRegistry registry,
      ModelTraining training,
      TrainingProfile profile,
      Path reportsRoot,
      Fingerprints fingerprints)
      implements Step {
    @Override
    public PipelineStep name() {
      return PipelineStep.TRAIN_RECOMMENDER;
    }

    @Override
    public String inputs() {
      return fingerprints.versions(SilverInteractions.NAME) + profile;
    }

    @Override
    public boolean mustRun() {
      // retrained when the registry has no champion (a new or wiped registry)
      return registry.alias(Pipeline.RECOMMENDER, ModelRegistry.CHAMPION).isEmpty();
    }

    @Override
    public StepResult run() {
      boolean implicit =
          lakehouse
                  .read(SilverInteractions.NAME)
                  .where(
                      col(SilverInteractions.EVENT_TYPE)
                          .isin(EventType.CLICK.value(), EventType.PURCHASE.value()))
                  .limit(1)
                  .count()
              > 0;
      RecommenderTrainer.Options options =
          profile.recommender(
              implicit ? RecommenderTrainer.Mode.IMPLICIT : RecommenderTrainer.Mode.EXPLICIT);
      return report(
          registry,
          reportsRoot,
          training.trainRecommender(Pipeline.RECOMMENDER, options, Promotion.AUTO));
    }
  }

  /** The ranker on the training set, with the oracle's AUC when the data was generated. */
  record TrainRanker(
      Lakehouse lakehouse,
      ModelRegistry registry,
      ModelTraining training,
      TrainingProfile profile,
      String truthImpressions,
      Path reportsRoot,
      Fingerprints fingerprints)
      implements Step {
    @Override
    public PipelineStep name() {
      return PipelineStep.TRAIN_RANKER;
    }

    @Override
    public String inputs() {
      return fingerprints.versions(RankerTrainingSet.NAME) + profile;
    }

    @Override
    public boolean mustRun() {
      return registry.alias(Pipeline.RANKER, ModelRegistry.CHAMPION).isEmpty();
    }

    @Override
    public StepResult run() {
      if (lakehouse.read(RankerTrainingSet.NAME).limit(1).count() == 0) {
        return new StepResult.NoImpressions();
      }
      return report(
          registry,
          reportsRoot,
          training.trainRanker(Pipeline.RANKER, profile.ranker(truthImpressions), Promotion.AUTO));
    }
  }

  /**
   * Every report page and the index, so the index links the new version and older pages list it.
   */
  private static StepResult report(
      ModelRegistry registry, Path reportsRoot, ModelTraining.Registered registered) {
    new ModelReport().writeAll(registry, reportsRoot);
    ModelVersion version = registered.version();
    Path page = reportsRoot.resolve(ModelReport.pageName(version.model(), version.version()));
    return new StepResult.Trained(registered, page.toAbsolutePath().normalize());
  }
}
