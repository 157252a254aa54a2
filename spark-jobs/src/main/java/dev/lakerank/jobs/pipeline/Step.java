package dev.lakerank.jobs.pipeline;

/**
 * One step of {@code pipeline run}: what it reads, for the fingerprint that lets it be skipped when
 * unchanged, and its work.
 */
interface Step {
  PipelineStep name();

  /**
   * The step's inputs as text (file listings, table versions, settings): the step is skipped when
   * they are those of its last success. Read before the step runs.
   */
  String inputs();

  /** True when the step must run whatever its inputs (its output is missing, say). */
  default boolean mustRun() {
    return false;
  }

  StepResult run();
}
