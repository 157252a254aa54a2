package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.transform.Reconciliation;
import dev.lakerank.jobs.transform.TransformJob;
import dev.lakerank.jobs.transform.TransformSummary;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "transform",
    mixinStandardHelpOptions = true,
    description = {
      "Validate new bronze rows into silver; quarantine the rest.",
      "Reads the bronze rows that arrived since the last run. Rejected rows go to",
      "quarantine.<table> with the rule they broke and why; events are",
      "deduplicated by MERGE on event_id; users and items are upserted. Every bronze row is",
      "accounted for: bronze = new + updated + quarantined + duplicates."
    })
final class TransformCommand extends LakerankSubcommand {
  @Option(
      names = "--full",
      description =
          "Read every bronze row again, not only the new ones (after lost table history). Rejected rows already in quarantine are quarantined again under this run's id.")
  boolean full;

  @Override
  protected int run(CommandContext context) {
    TransformSummary summary =
        new TransformJob(
                context.lakehouse(),
                context.clock(),
                context.config().transformFutureTolerance(),
                context.reporter())
            .run(full);
    context.finishProgress();
    if (summary.tables().isEmpty()) {
      context.out().println("nothing new in bronze since the last transform");
      return 0;
    }
    context.out().println("transform " + summary.runId());
    for (Reconciliation r : summary.tables()) {
      context.out().println("  " + PipelineText.describe(r));
      for (Map.Entry<String, Long> rule : r.ruleCounts().entrySet()) {
        context.out().printf("      quarantined by %-24s %,d%n", rule.getKey(), rule.getValue());
      }
    }
    context
        .out()
        .println(
            "see why: lakerank sql \"SELECT rule, reason, count(*) FROM quarantine.events GROUP BY 1, 2 ORDER BY 3 DESC\"");
    return 0;
  }
}
