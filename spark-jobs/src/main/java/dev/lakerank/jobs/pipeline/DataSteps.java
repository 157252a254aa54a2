package dev.lakerank.jobs.pipeline;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.features.FeatureApply;
import dev.lakerank.jobs.features.FeaturesJob;
import dev.lakerank.jobs.features.HistoricalFeatures;
import dev.lakerank.jobs.features.MaterializeJob;
import dev.lakerank.jobs.features.TrainingSetBuilder;
import dev.lakerank.jobs.generate.GenerateJob;
import dev.lakerank.jobs.generate.GenerateSettings;
import dev.lakerank.jobs.ingest.IngestJob;
import dev.lakerank.jobs.ingest.IngestRequest;
import dev.lakerank.jobs.ingest.IngestSummary;
import dev.lakerank.jobs.ingest.SourceFile;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.ItemPopularityFeatures;
import dev.lakerank.jobs.tables.ItemProfileFeatures;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.jobs.tables.UserActivityFeatures;
import dev.lakerank.jobs.transform.TransformJob;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The pipeline's steps from files to the online store, one small class each. */
final class DataSteps {
  private DataSteps() {}

  /** A synthetic data set into the raw directory. */
  record Generate(
      Lakehouse lakehouse,
      Reporter reporter,
      GenerateSettings settings,
      String rawRoot,
      boolean missing)
      implements Step {
    @Override
    public PipelineStep name() {
      return PipelineStep.GENERATE;
    }

    @Override
    public String inputs() {
      return "settings " + settings + " into " + rawRoot;
    }

    @Override
    public boolean mustRun() {
      // the files are not there, even if the ledger says they were made
      return missing;
    }

    @Override
    public StepResult run() {
      return new StepResult.Generated(
          settings,
          rawRoot,
          new GenerateJob(lakehouse.spark(), reporter).run(settings, rawRoot, true));
    }
  }

  /** Each source into bronze, users and items before events. */
  record Ingest(IngestJob job, List<String> sources) implements Step {
    @Override
    public PipelineStep name() {
      return PipelineStep.INGEST;
    }

    @Override
    public String inputs() {
      StringBuilder listing = new StringBuilder();
      for (SourceFile file : job.listFiles(sources)) {
        listing.append(file).append('\n');
      }
      return listing.toString();
    }

    @Override
    public StepResult run() {
      List<IngestSummary> summaries = new ArrayList<>();
      for (String source : sources) {
        summaries.add(job.run(IngestRequest.of(List.of(source))));
      }
      return new StepResult.Ingested(summaries);
    }
  }

  /** Bronze into silver and quarantine. */
  record Transform(
      Lakehouse lakehouse,
      Clock clock,
      Reporter reporter,
      Duration futureTolerance,
      Fingerprints fingerprints)
      implements Step {
    @Override
    public PipelineStep name() {
      return PipelineStep.TRANSFORM;
    }

    @Override
    public String inputs() {
      return fingerprints.versions(
          BronzeTable.EVENTS.tableName(),
          BronzeTable.USERS.tableName(),
          BronzeTable.ITEMS.tableName());
    }

    @Override
    public StepResult run() {
      return new StepResult.Transformed(
          new TransformJob(lakehouse, clock, futureTolerance, reporter).run(false));
    }
  }

  /** Silver into the gold feature tables. */
  record Features(Lakehouse lakehouse, Clock clock, Reporter reporter, Fingerprints fingerprints)
      implements Step {
    @Override
    public PipelineStep name() {
      return PipelineStep.FEATURES;
    }

    @Override
    public String inputs() {
      return fingerprints.versions(SilverInteractions.NAME, SilverItems.NAME, SilverUsers.NAME);
    }

    @Override
    public StepResult run() {
      return new StepResult.FeatureTables(new FeaturesJob(lakehouse, clock, reporter).build());
    }
  }

  /** The ranker's training set, by point-in-time join. */
  record TrainingSet(
      Lakehouse lakehouse,
      Reporter reporter,
      FeatureStoreLocation store,
      String service,
      Fingerprints fingerprints)
      implements Step {
    @Override
    public PipelineStep name() {
      return PipelineStep.TRAINING_SET;
    }

    @Override
    public String inputs() {
      return fingerprints.versions(
              SilverInteractions.NAME,
              UserActivityFeatures.NAME,
              ItemPopularityFeatures.NAME,
              ItemProfileFeatures.NAME)
          + Fingerprints.repositoryText(store.repository().directory())
          + service;
    }

    @Override
    public StepResult run() {
      FeatureRepository repository = store.repository();
      return new StepResult.TrainingSet(
          service,
          new TrainingSetBuilder(lakehouse, new HistoricalFeatures(lakehouse, repository), reporter)
              .build(service));
    }
  }

  /** The feature definitions checked and written to Feast's registry.db. */
  record FeatureApplyStep(
      Lakehouse lakehouse, Clock clock, FeatureStoreLocation store, Fingerprints fingerprints)
      implements Step {
    @Override
    public PipelineStep name() {
      return PipelineStep.FEATURE_APPLY;
    }

    @Override
    public String inputs() {
      return storeText(store)
          + Fingerprints.repositoryText(store.repository().directory())
          + fingerprints.sourceVersions(store.repository());
    }

    @Override
    public boolean mustRun() {
      return !Files.isRegularFile(store.registryFile());
    }

    @Override
    public StepResult run() {
      return new StepResult.Applied(
          store.registryFile(), new FeatureApply(lakehouse, clock).apply(store));
    }
  }

  /** The latest feature values into the online store, up to the data's newest event. */
  record Materialize(
      Lakehouse lakehouse,
      Clock clock,
      Reporter reporter,
      FeatureStoreLocation store,
      Fingerprints fingerprints)
      implements Step {
    @Override
    public PipelineStep name() {
      return PipelineStep.MATERIALIZE;
    }

    @Override
    public String inputs() {
      return storeText(store) + fingerprints.sourceVersions(store.repository());
    }

    @Override
    public StepResult run() {
      MaterializeJob job = new MaterializeJob(lakehouse, clock, reporter);
      // the data's own "now": generated or replayed data can lie in the past
      Optional<Instant> end = job.latestEventTime(store.repository());
      if (end.isEmpty()) {
        return new StepResult.Materialized(null, store.describeOnline(), List.of());
      }
      return new StepResult.Materialized(
          end.get(),
          store.describeOnline(),
          job.run(store, Optional.empty(), end.get(), List.of()));
    }
  }

  private static String storeText(FeatureStoreLocation store) {
    return store.registryFile() + "\n" + store.describeOnline() + "\n";
  }
}
