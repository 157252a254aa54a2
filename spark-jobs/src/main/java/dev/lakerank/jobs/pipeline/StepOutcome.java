package dev.lakerank.jobs.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * What a pipeline step did.
 *
 * @param skipped the step's inputs had not changed since its last success
 * @param summary one line for people
 * @param details further lines (reconciliations, warnings)
 */
public record StepOutcome(
    PipelineStep step, boolean skipped, String summary, List<String> details, Duration took) {
  public StepOutcome {
    details = List.copyOf(details);
  }
}
