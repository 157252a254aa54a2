package dev.lakerank.jobs.pipeline;

import static org.apache.spark.sql.functions.col;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.generate.GenerateJob;
import dev.lakerank.jobs.generate.GenerateSettings;
import dev.lakerank.jobs.generate.GeneratedFiles;
import dev.lakerank.jobs.ingest.IngestJob;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.PipelineSteps;
import dev.lakerank.jobs.train.ModelTraining;
import dev.lakerank.model.registry.ModelRegistry;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;

/**
 * {@code lakerank pipeline run}: generate (or take given sources), ingest, transform, build
 * features and the training set, apply and materialize the features, train, in order. A step whose
 * inputs have not changed since its last success (same fingerprint in {@code ops.pipeline_steps})
 * is skipped unless forced. Each step answers with a {@link StepResult}; the caller says how one
 * reads as text ({@link Describer}), which is what {@code ops.pipeline_steps} keeps.
 */
public final class Pipeline {
  /** Names of the models the pipeline trains. */
  public static final String RECOMMENDER = "recommender";

  public static final String RANKER = "ranker";

  /** A step's result as lines for people: a summary, then details. */
  @FunctionalInterface
  public interface Describer {
    List<String> lines(StepResult result);
  }

  private final Lakehouse lakehouse;
  private final ModelRegistry registry;
  private final Clock clock;
  private final Reporter reporter;
  private final Describer describer;
  private final Fingerprints fingerprints;

  public Pipeline(
      Lakehouse lakehouse,
      ModelRegistry registry,
      Clock clock,
      Reporter reporter,
      Describer describer) {
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.clock = clock;
    this.reporter = reporter;
    this.describer = describer;
    this.fingerprints = new Fingerprints(lakehouse);
  }

  /**
   * What to run.
   *
   * @param sources files or directories to ingest, users and items before events; empty to generate
   *     a synthetic data set into {@code rawRoot} and ingest that
   * @param rawRoot where generated files go
   * @param generate the synthetic data set's settings
   * @param futureTolerance see {@link dev.lakerank.jobs.transform.TransformJob}
   * @param featureStore the feature definitions, registry and online store
   * @param featureService the service whose features make the training set
   * @param force run every step, changed inputs or not
   * @param training how to train the recommender and the ranker after the training set, or null not
   *     to train
   * @param reportsRoot where the model reports go
   * @param codeVersion the code version recorded with the trained models
   */
  public record Options(
      List<String> sources,
      String rawRoot,
      GenerateSettings generate,
      Duration futureTolerance,
      FeatureStoreLocation featureStore,
      String featureService,
      boolean force,
      TrainingProfile training,
      Path reportsRoot,
      String codeVersion) {
    public Options {
      sources = List.copyOf(sources);
    }
  }

  public List<StepOutcome> run(Options options) {
    lakehouse.createIfNotExists(PipelineSteps.DEFINITION);
    String runId =
        "pipeline-"
            + clock.instant().getEpochSecond()
            + "-"
            + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    List<StepOutcome> outcomes = new ArrayList<>();
    for (Step step : steps(options)) {
      outcomes.add(run(step, runId, options.force()));
    }
    return outcomes;
  }

  /** The steps to run, in order. */
  private List<Step> steps(Options options) {
    boolean generated = options.sources().isEmpty();
    String raw = options.rawRoot();
    List<Step> steps = new ArrayList<>();
    if (generated) {
      steps.add(
          new DataSteps.Generate(
              lakehouse, reporter, options.generate(), raw, generatedFilesMissing(options)));
    }
    List<String> sources =
        generated
            ? List.of(
                raw + "/" + GeneratedFiles.USERS,
                raw + "/" + GeneratedFiles.ITEMS,
                raw + "/" + GeneratedFiles.EVENTS)
            : options.sources();
    FeatureStoreLocation store = options.featureStore();
    steps.add(new DataSteps.Ingest(new IngestJob(lakehouse, clock, reporter), sources));
    steps.add(
        new DataSteps.Transform(
            lakehouse, clock, reporter, options.futureTolerance(), fingerprints));
    steps.add(new DataSteps.Features(lakehouse, clock, reporter, fingerprints));
    steps.add(
        new DataSteps.TrainingSet(
            lakehouse, reporter, store, options.featureService(), fingerprints));
    steps.add(new DataSteps.FeatureApplyStep(lakehouse, clock, store, fingerprints));
    steps.add(new DataSteps.Materialize(lakehouse, clock, reporter, store, fingerprints));
    if (options.training() != null) {
      ModelTraining training =
          new ModelTraining(lakehouse, registry, clock, reporter, options.codeVersion());
      steps.add(
          new TrainingSteps.TrainRecommender(
              lakehouse,
              registry,
              training,
              options.training(),
              options.reportsRoot(),
              fingerprints));
      steps.add(
          new TrainingSteps.TrainRanker(
              lakehouse,
              registry,
              training,
              options.training(),
              generated ? raw + "/" + GeneratedFiles.TRUTH_IMPRESSIONS : null,
              options.reportsRoot(),
              fingerprints));
    }
    return steps;
  }

  /**
   * True when the generated files are not there for these settings; refuses settings that differ
   * from those the lakehouse was built from.
   */
  private boolean generatedFilesMissing(Options options) {
    Map<String, Object> manifest = GenerateJob.readManifest(lakehouse.spark(), options.rawRoot());
    if (manifest != null
        && !GenerateJob.recordsSettings(manifest, options.generate())
        && lakehouse.exists(BronzeTable.EVENTS.tableName())) {
      throw JobErrors.conflict(
          "the generate settings differ from those of the data set in "
              + options.rawRoot()
              + ", which "
              + lakehouse.root()
              + " was built from ("
              + manifest.get("settings")
              + "). "
              + "Build the new data set into a new lakehouse (--lakehouse <dir> --raw <dir>) or delete both directories");
    }
    return !GenerateJob.recordsSettings(manifest, options.generate());
  }

  private StepOutcome run(Step step, String runId, boolean force) {
    Instant started = clock.instant();
    // the fingerprint is of the inputs as they were before the step ran: for ingest, the files read
    String inputs = Fingerprints.sha256(step.name().value() + "\n" + step.inputs());
    Optional<String> last = lastFingerprint(step.name());
    if (!force && !step.mustRun() && last.isPresent() && last.get().equals(inputs)) {
      return new StepOutcome(step.name(), true, null, Duration.between(started, clock.instant()));
    }
    reporter.step(step.name().value());
    StepResult result = step.run();
    Instant finished = clock.instant();
    Row row =
        RowFactory.create(
            runId,
            step.name().value(),
            inputs,
            String.join("\n", describer.lines(result)),
            Timestamp.from(started),
            Timestamp.from(finished));
    lakehouse
        .spark()
        .createDataFrame(List.of(row), PipelineSteps.SCHEMA)
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .save(lakehouse.location(PipelineSteps.NAME));
    return new StepOutcome(step.name(), false, result, Duration.between(started, finished));
  }

  private Optional<String> lastFingerprint(PipelineStep step) {
    List<Row> rows =
        lakehouse
            .read(PipelineSteps.NAME)
            .where(col(PipelineSteps.STEP).equalTo(step.value()))
            .orderBy(col(PipelineSteps.FINISHED_AT).desc())
            .select(PipelineSteps.INPUT_FINGERPRINT)
            .limit(1)
            .collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getString(0));
  }
}
