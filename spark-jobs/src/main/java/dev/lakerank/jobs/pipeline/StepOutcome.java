package dev.lakerank.jobs.pipeline;

import java.time.Duration;

/**
 * What a pipeline step did.
 *
 * @param skipped the step's inputs had not changed since its last success
 * @param result what the step did; null when it was skipped
 */
public record StepOutcome(PipelineStep step, boolean skipped, StepResult result, Duration took) {
  public StepOutcome {
    if (skipped != (result == null)) {
      throw new IllegalArgumentException("a skipped step has no result, a step that ran has one");
    }
  }
}
