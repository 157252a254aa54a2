package dev.lakerank.jobs.pipeline;

import java.util.Locale;

/** The steps of {@code lakerank pipeline run}, in order. */
public enum PipelineStep {
  /** A synthetic data set into the raw directory (skipped when sources are given). */
  GENERATE,
  /** Raw files into bronze. */
  INGEST,
  /** Bronze into silver and quarantine. */
  TRANSFORM,
  /** Silver into the gold feature tables. */
  FEATURES,
  /** The ranker's training set by point-in-time join. */
  TRAINING_SET,
  /** The feature definitions checked and written to Feast's registry.db. */
  FEATURE_APPLY,
  /** The latest feature values into the online store. */
  MATERIALIZE,
  /** ALS on silver, registered (and promoted when at least as good). */
  TRAIN_RECOMMENDER,
  /** The ranker on the training set, registered (and promoted when at least as good). */
  TRAIN_RANKER;

  /** The name in {@code ops.pipeline_steps} and on the command line: {@code training-set}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
