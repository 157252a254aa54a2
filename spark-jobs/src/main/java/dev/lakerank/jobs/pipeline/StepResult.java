package dev.lakerank.jobs.pipeline;

import static java.util.Objects.requireNonNull;

import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.features.FeatureApply;
import dev.lakerank.jobs.features.MaterializeJob;
import dev.lakerank.jobs.features.TrainingSetBuilder;
import dev.lakerank.jobs.generate.GenerateSettings;
import dev.lakerank.jobs.generate.GenerateSummary;
import dev.lakerank.jobs.ingest.IngestSummary;
import dev.lakerank.jobs.train.ModelTraining;
import dev.lakerank.jobs.transform.TransformSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline step did, as data: the CLI turns it into text for people and for {@code
 * ops.pipeline_steps}.
 */
public sealed interface StepResult {
  /** A synthetic data set written into {@code rawRoot}. */
  record Generated(GenerateSettings settings, String rawRoot, GenerateSummary summary)
      implements StepResult {}

  /** Each source ingested into bronze, in order. */
  record Ingested(List<IngestSummary> sources) implements StepResult {
    public Ingested {
      sources = List.copyOf(sources);
    }

    /** Rows written to bronze, all sources together. */
    public long rows() {
      return sources.stream().mapToLong(IngestSummary::rows).sum();
    }
  }

  /** Bronze into silver and quarantine. */
  record Transformed(TransformSummary summary) implements StepResult {}

  /** The gold feature tables built, with their rows. */
  record FeatureTables(Map<TableName, Long> rows) implements StepResult {
    public FeatureTables {
      // in the order they were built
      rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }
  }

  /** The ranker's training set of feature service {@code service}. */
  record TrainingSet(String service, TrainingSetBuilder.Summary summary) implements StepResult {}

  /** The feature definitions applied to {@code registryFile}. */
  record Applied(Path registryFile, FeatureApply.Summary summary) implements StepResult {}

  /**
   * Feature values materialized up to {@code end} into {@code onlineStore}.
   *
   * @param end null when no offline feature rows exist (nothing to materialize)
   */
  record Materialized(Instant end, String onlineStore, List<MaterializeJob.ViewResult> views)
      implements StepResult {
    public Materialized {
      requireNonNull(onlineStore, "onlineStore");
      views = List.copyOf(views);
    }

    /** Feature values written, all views together. */
    public long featureValues() {
      return views.stream().mapToLong(MaterializeJob.ViewResult::featureValues).sum();
    }
  }

  /** A model trained and registered, with the report page written for it. */
  record Trained(ModelTraining.Registered registered, Path report) implements StepResult {}

  /** No ranker trained: the training set holds no impressions (rating-only data). */
  record NoImpressions() implements StepResult {}
}
