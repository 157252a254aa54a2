package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.features.FeatureApply;
import dev.lakerank.jobs.features.MaterializeJob;
import dev.lakerank.jobs.features.TrainingSetBuilder;
import dev.lakerank.jobs.generate.GenerateSummary;
import dev.lakerank.jobs.ingest.IngestSummary;
import dev.lakerank.jobs.pipeline.StepOutcome;
import dev.lakerank.jobs.pipeline.StepResult;
import dev.lakerank.jobs.train.ModelTraining;
import dev.lakerank.jobs.transform.Reconciliation;
import dev.lakerank.model.registry.ModelVersion;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline's results as text: a line per step on the console (its time, a summary, details
 * below), and the same lines in {@code ops.pipeline_steps}.
 */
final class PipelineText {
  /** The metrics a trained model's summary shows, when it has them. */
  private static final List<String> SHOWN_METRICS =
      List.of(
          "auc",
          "oracle_auc",
          "auc_gap_to_oracle",
          "pr_auc",
          "log_loss",
          "rmse",
          "mae",
          "precision_at_10",
          "recall_at_10",
          "ndcg_at_10",
          "popularity_ndcg_at_10",
          "map_at_10",
          "hit_rate_at_10",
          "coverage_at_10",
          "fallback_users_share");

  private static final String SKIPPED =
      "inputs unchanged since its last success; skipped (--force runs it)";
  private static final String DETAIL_INDENT = " ".repeat(29);

  private PipelineText() {}

  /** Each step on a line with its time and summary, details indented below. */
  static void print(PrintStream out, List<StepOutcome> outcomes) {
    for (StepOutcome outcome : outcomes) {
      List<String> lines = outcome.skipped() ? List.of(SKIPPED) : lines(outcome.result());
      out.printf(
          "%-17s %7.1fs  %s%n",
          outcome.step().value(),
          outcome.took().toMillis() / 1000.0,
          lines.isEmpty() ? "done" : lines.get(0));
      lines.stream().skip(1).forEach(line -> out.println(DETAIL_INDENT + line));
    }
  }

  /** A step's result: a summary line, then details. */
  static List<String> lines(StepResult result) {
    List<String> lines = new ArrayList<>();
    if (result instanceof StepResult.Generated generated) {
      GenerateSummary s = generated.summary();
      lines.add(
          String.format(
              "%,d event lines (%,d impressions, %,d clicks, %,d purchases, %,d ratings; %,d corrupted, %,d duplicated)",
              s.eventLines(),
              s.impressions(),
              s.clicks(),
              s.purchases(),
              s.ratings(),
              s.corruptedLines(),
              s.duplicatedLines()));
    } else if (result instanceof StepResult.Ingested ingested) {
      lines.add(String.format("%,d rows into bronze", ingested.rows()));
      for (IngestSummary s : ingested.sources()) {
        lines.add(
            String.format(
                "%s: %,d rows from %d files (%d already ingested), %,d unparseable",
                s.table().tableName(), s.rows(), s.filesRead(), s.filesSkipped(), s.corruptRows()));
      }
    } else if (result instanceof StepResult.Transformed transformed) {
      lines.add(
          transformed.summary().tables().isEmpty()
              ? "nothing new in bronze"
              : "run " + transformed.summary().runId());
      transformed.summary().tables().forEach(r -> lines.add(describe(r)));
    } else if (result instanceof StepResult.FeatureTables tables) {
      lines.add(tables.rows().size() + " feature tables");
      tables
          .rows()
          .forEach((table, count) -> lines.add(String.format("%s: %,d rows", table, count)));
    } else if (result instanceof StepResult.TrainingSet set) {
      TrainingSetBuilder.Summary s = set.summary();
      lines.add(
          String.format(
              "%s: %,d impressions (%,d clicked), %d features of service `%s`",
              s.table(), s.rows(), s.clicks(), s.features().size(), set.service()));
    } else if (result instanceof StepResult.Applied applied) {
      FeatureApply.Summary s = applied.summary();
      lines.add(
          String.format(
              "%d feature views, %d stream feature views, %d feature services into %s",
              s.featureViews(),
              s.streamFeatureViews(),
              s.featureServices(),
              applied.registryFile()));
      lines.addAll(s.notes());
    } else if (result instanceof StepResult.Materialized materialized) {
      if (materialized.end() == null) {
        lines.add("no offline feature rows: nothing to materialize");
      } else {
        lines.add(
            String.format(
                "%,d feature values up to %s into %s",
                materialized.featureValues(), materialized.end(), materialized.onlineStore()));
        materialized.views().forEach(view -> lines.add(describe(view)));
      }
    } else if (result instanceof StepResult.Trained trained) {
      ModelTraining.Registered registered = trained.registered();
      ModelVersion version = registered.version();
      lines.add(
          String.format(
              "%s v%d (%s): %s",
              version.model(),
              version.version(),
              version.manifest().kind().value(),
              registered.decision()));
      for (String metric : SHOWN_METRICS) {
        Double value = version.manifest().metrics().get(metric);
        if (value != null) {
          lines.add(String.format("%-20s %.4f", metric, value));
        }
      }
      lines.add("report: " + trained.report());
    } else if (result instanceof StepResult.NoImpressions) {
      lines.add("no impressions in the training set (rating-only data): no ranker to train");
    } else {
      throw new IllegalStateException("no text for " + result);
    }
    return lines;
  }

  /** One line of a transform reconciliation. */
  static String describe(Reconciliation r) {
    return String.format(
        "%s: %,d bronze rows = %,d new + %,d updated + %,d quarantined + %,d duplicates%s",
        r.table().tableName(),
        r.bronzeRows(),
        r.inserted(),
        r.updated(),
        r.quarantined(),
        r.duplicates(),
        r.derived() > 0
            ? String.format(" (and %,d users/items derived from events)", r.derived())
            : "");
  }

  /** One line of a materialized feature view. */
  static String describe(MaterializeJob.ViewResult view) {
    if (view.note() != null) {
      return view.view() + ": " + view.note();
    }
    double seconds = Math.max(view.took().toMillis(), 1) / 1000.0;
    return String.format(
        "%s: %,d entities from %s to %s: %,d written, %,d already newer; %,d feature values in %.1f s (%,.0f/s)",
        view.view(),
        view.entities(),
        view.start(),
        view.end(),
        view.written(),
        view.skipped(),
        view.featureValues(),
        seconds,
        view.featureValues() / seconds);
  }
}
