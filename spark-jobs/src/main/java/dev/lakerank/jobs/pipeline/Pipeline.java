package dev.lakerank.jobs.pipeline;

import static org.apache.spark.sql.functions.col;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.features.FeatureApply;
import dev.lakerank.jobs.features.FeaturesJob;
import dev.lakerank.jobs.features.HistoricalFeatures;
import dev.lakerank.jobs.features.MaterializeJob;
import dev.lakerank.jobs.features.TrainingSetBuilder;
import dev.lakerank.jobs.generate.GenerateJob;
import dev.lakerank.jobs.generate.GenerateSettings;
import dev.lakerank.jobs.generate.GenerateSummary;
import dev.lakerank.jobs.generate.GeneratedFiles;
import dev.lakerank.jobs.ingest.IngestJob;
import dev.lakerank.jobs.ingest.IngestRequest;
import dev.lakerank.jobs.ingest.IngestSummary;
import dev.lakerank.jobs.ingest.SourceFile;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.ItemPopularityFeatures;
import dev.lakerank.jobs.tables.ItemProfileFeatures;
import dev.lakerank.jobs.tables.PipelineSteps;
import dev.lakerank.jobs.tables.RankerTrainingSet;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.jobs.tables.UserActivityFeatures;
import dev.lakerank.jobs.train.ModelTraining;
import dev.lakerank.jobs.train.Promotion;
import dev.lakerank.jobs.train.RankerTrainer;
import dev.lakerank.jobs.train.RecommenderTrainer;
import dev.lakerank.jobs.transform.Reconciliation;
import dev.lakerank.jobs.transform.TransformJob;
import dev.lakerank.jobs.transform.TransformSummary;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import dev.lakerank.model.report.ModelReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;

/**
 * {@code lakerank pipeline run}: generate (or take given sources), ingest, transform, build
 * features and the training set, in order. A step whose inputs have not changed since its last
 * success (same fingerprint in {@code ops.pipeline_steps}) is skipped unless forced.
 */
public final class Pipeline {
  private final Lakehouse lakehouse;
  private final ModelRegistry registry;
  private final Clock clock;
  private final Reporter reporter;

  public Pipeline(Lakehouse lakehouse, ModelRegistry registry, Clock clock, Reporter reporter) {
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.clock = clock;
    this.reporter = reporter;
  }

  /**
   * What to run.
   *
   * @param sources files or directories to ingest, users and items before events; empty to generate
   *     a synthetic data set into {@code rawRoot} and ingest that
   * @param rawRoot where generated files go
   * @param generate the synthetic data set's settings
   * @param futureTolerance see {@link TransformJob}
   * @param featureStore the feature definitions, registry and online store
   * @param featureService the service whose features make the training set
   * @param force run every step, changed inputs or not
   * @param training how to train the recommender and the ranker after the training set, or null not
   *     to train
   * @param reportsRoot where the model reports go
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
      Path reportsRoot) {
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
    boolean generated = options.sources().isEmpty();
    List<String> sources =
        generated
            ? List.of(
                options.rawRoot() + "/" + GeneratedFiles.USERS,
                options.rawRoot() + "/" + GeneratedFiles.ITEMS,
                options.rawRoot() + "/" + GeneratedFiles.EVENTS)
            : options.sources();

    if (generated) {
      Map<String, Object> manifest = GenerateJob.readManifest(lakehouse.spark(), options.rawRoot());
      if (manifest != null
          && !GenerateJob.recordsSettings(manifest, options.generate())
          && lakehouse.exists(BronzeTable.EVENTS.tableName())) {
        throw new LakerankException(
            "the generate settings differ from those of the data set in "
                + options.rawRoot()
                + ", which "
                + lakehouse.root()
                + " was built from ("
                + manifest.get("settings")
                + "). "
                + "Build the new data set into a new lakehouse (--lakehouse <dir> --raw <dir>) or delete both directories");
      }
      // run when the files are not there, even if the ledger says they were made
      boolean missing = !GenerateJob.recordsSettings(manifest, options.generate());
      outcomes.add(
          step(
              PipelineStep.GENERATE,
              runId,
              options.force() || missing,
              () -> "settings " + options.generate() + " into " + options.rawRoot(),
              () -> {
                GenerateSummary summary =
                    new GenerateJob(lakehouse.spark(), reporter)
                        .run(options.generate(), options.rawRoot(), true);
                return new String[] {
                  String.format(
                      "%,d event lines (%,d impressions, %,d clicks, %,d purchases, %,d ratings; %,d corrupted, %,d duplicated)",
                      summary.eventLines(),
                      summary.impressions(),
                      summary.clicks(),
                      summary.purchases(),
                      summary.ratings(),
                      summary.corruptedLines(),
                      summary.duplicatedLines())
                };
              }));
    }

    IngestJob ingest = new IngestJob(lakehouse, clock, reporter);
    outcomes.add(
        step(
            PipelineStep.INGEST,
            runId,
            options.force(),
            () -> {
              StringBuilder listing = new StringBuilder();
              for (SourceFile file : ingest.listFiles(sources)) {
                listing.append(file).append('\n');
              }
              return listing.toString();
            },
            () -> {
              List<String> lines = new ArrayList<>();
              long rows = 0;
              for (String source : sources) {
                IngestSummary summary = ingest.run(IngestRequest.of(List.of(source)));
                rows += summary.rows();
                lines.add(
                    String.format(
                        "%s: %,d rows from %d files (%d already ingested), %,d unparseable",
                        summary.table().tableName(),
                        summary.rows(),
                        summary.filesRead(),
                        summary.filesSkipped(),
                        summary.corruptRows()));
              }
              lines.add(0, String.format("%,d rows into bronze", rows));
              return lines.toArray(String[]::new);
            }));

    outcomes.add(
        step(
            PipelineStep.TRANSFORM,
            runId,
            options.force(),
            () ->
                versions(
                    BronzeTable.EVENTS.tableName(),
                    BronzeTable.USERS.tableName(),
                    BronzeTable.ITEMS.tableName()),
            () -> {
              TransformSummary summary =
                  new TransformJob(lakehouse, clock, options.futureTolerance(), reporter)
                      .run(false);
              List<String> lines = new ArrayList<>();
              lines.add(
                  summary.tables().isEmpty() ? "nothing new in bronze" : "run " + summary.runId());
              for (Reconciliation r : summary.tables()) {
                lines.add(describe(r));
              }
              return lines.toArray(String[]::new);
            }));

    outcomes.add(
        step(
            PipelineStep.FEATURES,
            runId,
            options.force(),
            () -> versions(SilverInteractions.NAME, SilverItems.NAME, SilverUsers.NAME),
            () -> {
              Map<TableName, Long> rows = new FeaturesJob(lakehouse, clock, reporter).build();
              List<String> lines = new ArrayList<>();
              lines.add(rows.size() + " feature tables");
              rows.forEach(
                  (table, count) -> lines.add(String.format("%s: %,d rows", table, count)));
              return lines.toArray(String[]::new);
            }));

    outcomes.add(
        step(
            PipelineStep.TRAINING_SET,
            runId,
            options.force(),
            () ->
                versions(
                        SilverInteractions.NAME,
                        UserActivityFeatures.NAME,
                        ItemPopularityFeatures.NAME,
                        ItemProfileFeatures.NAME)
                    + repositoryText(options.featureStore().repository().directory())
                    + options.featureService(),
            () -> {
              FeatureRepository repository = options.featureStore().repository();
              TrainingSetBuilder.Summary summary =
                  new TrainingSetBuilder(
                          lakehouse, new HistoricalFeatures(lakehouse, repository), reporter)
                      .build(options.featureService());
              return new String[] {
                String.format(
                    "%s: %,d impressions (%,d clicked), %d features of service `%s`",
                    summary.table(),
                    summary.rows(),
                    summary.clicks(),
                    summary.features().size(),
                    options.featureService())
              };
            }));
    FeatureStoreLocation store = options.featureStore();
    String storeText = store.registryFile() + "\n" + store.describeOnline() + "\n";
    outcomes.add(
        step(
            PipelineStep.FEATURE_APPLY,
            runId,
            options.force() || !Files.isRegularFile(store.registryFile()),
            () ->
                storeText
                    + repositoryText(store.repository().directory())
                    + sourceVersions(store.repository()),
            () -> {
              FeatureApply.Summary summary = new FeatureApply(lakehouse, clock).apply(store);
              List<String> lines = new ArrayList<>();
              lines.add(
                  String.format(
                      "%d feature views, %d stream feature views, %d feature services into %s",
                      summary.featureViews(),
                      summary.streamFeatureViews(),
                      summary.featureServices(),
                      store.registryFile()));
              lines.addAll(summary.notes());
              return lines.toArray(String[]::new);
            }));
    outcomes.add(
        step(
            PipelineStep.MATERIALIZE,
            runId,
            options.force(),
            () -> storeText + sourceVersions(store.repository()),
            () -> {
              MaterializeJob job = new MaterializeJob(lakehouse, clock, reporter);
              // the data's own "now": generated or replayed data can lie in the past
              Optional<Instant> end = job.latestEventTime(store.repository());
              if (end.isEmpty()) {
                return new String[] {"no offline feature rows: nothing to materialize"};
              }
              List<String> lines = new ArrayList<>();
              long values = 0;
              for (MaterializeJob.ViewResult r :
                  job.run(store, Optional.empty(), end.get(), List.of())) {
                values += r.featureValues();
                lines.add(r.describe());
              }
              lines.add(
                  0,
                  String.format(
                      "%,d feature values up to %s into %s",
                      values, end.get(), store.describeOnline()));
              return lines.toArray(String[]::new);
            }));
    if (options.training() != null) {
      train(options, runId, generated, outcomes);
    }
    return outcomes;
  }

  /** Names of the models the pipeline trains. */
  public static final String RECOMMENDER = "recommender";

  public static final String RANKER = "ranker";

  private void train(Options options, String runId, boolean generated, List<StepOutcome> outcomes) {
    ModelTraining training = new ModelTraining(lakehouse, registry, clock, reporter);
    // retrained when the inputs changed, or when the registry has no champion (a new or wiped
    // registry)
    boolean noRecommender = registry.alias(RECOMMENDER, ModelRegistry.CHAMPION).isEmpty();
    outcomes.add(
        step(
            PipelineStep.TRAIN_RECOMMENDER,
            runId,
            options.force() || noRecommender,
            () -> versions(SilverInteractions.NAME) + options.training(),
            () -> {
              boolean implicit =
                  lakehouse
                          .read(SilverInteractions.NAME)
                          .where(
                              col(SilverInteractions.EVENT_TYPE)
                                  .isin(EventType.CLICK.value(), EventType.PURCHASE.value()))
                          .limit(1)
                          .count()
                      > 0;
              RecommenderTrainer.Options trainOptions =
                  options
                      .training()
                      .recommender(
                          implicit
                              ? RecommenderTrainer.Mode.IMPLICIT
                              : RecommenderTrainer.Mode.EXPLICIT);
              return describe(
                  training.trainRecommender(RECOMMENDER, trainOptions, Promotion.AUTO),
                  options.reportsRoot());
            }));
    boolean noRanker = registry.alias(RANKER, ModelRegistry.CHAMPION).isEmpty();
    outcomes.add(
        step(
            PipelineStep.TRAIN_RANKER,
            runId,
            options.force() || noRanker,
            () -> versions(RankerTrainingSet.NAME) + options.training(),
            () -> {
              long impressions = lakehouse.read(RankerTrainingSet.NAME).limit(1).count();
              if (impressions == 0) {
                return new String[] {
                  "no impressions in the training set (rating-only data): no ranker to train"
                };
              }
              String truth =
                  generated ? options.rawRoot() + "/" + GeneratedFiles.TRUTH_IMPRESSIONS : null;
              RankerTrainer.Options trainOptions = options.training().ranker(truth);
              return describe(
                  training.trainRanker(RANKER, trainOptions, Promotion.AUTO),
                  options.reportsRoot());
            }));
  }

  private String[] describe(ModelTraining.Registered registered, Path reportsRoot) {
    ModelVersion version = registered.version();
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "%s v%d (%s): %s",
            version.model(),
            version.version(),
            version.manifest().kind().value(),
            registered.decision()));
    List<String> shown =
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
    for (String metric : shown) {
      Double value = version.manifest().metrics().get(metric);
      if (value != null) {
        lines.add(String.format("%-20s %.4f", metric, value));
      }
    }
    // every page and the index, so the index links the new version and earlier pages list it
    new ModelReport().writeAll(registry, reportsRoot);
    Path page = reportsRoot.resolve(ModelReport.pageName(version.model(), version.version()));
    lines.add("report: " + page.toAbsolutePath().normalize());
    return lines.toArray(String[]::new);
  }

  /** One line of a transform reconciliation. */
  public static String describe(Reconciliation r) {
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

  private interface Fingerprint {
    String inputs();
  }

  private interface Work {
    String[] run();
  }

  private StepOutcome step(
      PipelineStep step, String runId, boolean force, Fingerprint fingerprint, Work work) {
    Instant started = clock.instant();
    String inputs = sha256(step.value() + "\n" + fingerprint.inputs());
    Optional<String> last = lastFingerprint(step);
    if (!force && last.isPresent() && last.get().equals(inputs)) {
      return new StepOutcome(
          step,
          true,
          "inputs unchanged since its last success; skipped (--force runs it)",
          List.of(),
          Duration.between(started, clock.instant()));
    }
    reporter.step(step.value());
    String[] lines = work.run();
    Instant finished = clock.instant();
    // the fingerprint is of the inputs as they were before the step ran: for ingest, the files read
    Row row =
        RowFactory.create(
            runId,
            step.value(),
            inputs,
            String.join("\n", lines),
            Timestamp.from(started),
            Timestamp.from(finished));
    lakehouse
        .spark()
        .createDataFrame(List.of(row), PipelineSteps.SCHEMA)
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .save(lakehouse.location(PipelineSteps.NAME));
    List<String> details = new ArrayList<>(List.of(lines));
    String summary = details.isEmpty() ? "done" : details.remove(0);
    return new StepOutcome(step, false, summary, details, Duration.between(started, finished));
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

  private String versions(TableName... tables) {
    StringBuilder text = new StringBuilder();
    for (TableName table : tables) {
      text.append(table).append('@').append(lakehouse.version(table)).append('\n');
    }
    return text.toString();
  }

  /** The Delta version of every existing offline table of the feature views. */
  private String sourceVersions(FeatureRepository repository) {
    return versions(
        repository.featureViews().stream()
            .map(view -> TableName.parse(view.source().table()))
            .distinct()
            .filter(lakehouse::exists)
            .toArray(TableName[]::new));
  }

  private static String repositoryText(Path repository) {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(repository)) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList()) {
        text.append(file.getFileName())
            .append('\n')
            .append(Files.readString(file, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read feature repository " + repository, e);
    }
    return text.toString();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
