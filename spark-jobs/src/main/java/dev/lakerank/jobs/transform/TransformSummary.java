package dev.lakerank.jobs.transform;

import java.util.List;

/** What a transform run did, per bronze table. Tables with nothing new are left out. */
public record TransformSummary(String runId, List<Reconciliation> tables) {
  public TransformSummary {
    tables = List.copyOf(tables);
  }
}
