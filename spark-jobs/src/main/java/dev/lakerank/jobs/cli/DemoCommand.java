package dev.lakerank.jobs.cli;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.featurestore.retrieval.OnlineFeatureService;
import dev.lakerank.featurestore.retrieval.OnlineFeatures;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.config.Settings;
import dev.lakerank.jobs.pipeline.StepOutcome;
import dev.lakerank.jobs.pipeline.TrainingProfile;
import dev.lakerank.jobs.query.SqlQueries;
import dev.lakerank.jobs.query.TablePrinter;
import dev.lakerank.model.report.ModelReport;
import feast.proto.types.ValueProto.Value;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the end-to-end demo on embedded defaults.",
      "Generates a small synthetic data set, runs the pipeline into ./lakehouse, trains the",
      "recommender and the ranker into ./registry (champions) with reports in ./reports, and shows",
      "what was built and how to query it. Run it again and unchanged steps are skipped.",
      "bin/lakerank then starts the serving API on the trained models, makes a few requests and",
      "keeps serving until Ctrl-C."
    })
final class DemoCommand extends LakerankSubcommand {
  /** The demo's scale, unless flags say otherwise: about 260k events in a minute or two. */
  static final Map<String, String> DEMO_SCALE =
      Map.of(
          Settings.GENERATE_USERS.key(), "2000",
          Settings.GENERATE_ITEMS.key(), "500",
          Settings.GENERATE_EVENTS.key(), "200000",
          Settings.GENERATE_DAYS.key(), "30");

  @Mixin GenerateOptions generate = new GenerateOptions();

  @Option(names = "--force", description = "Run every step even if its inputs did not change.")
  boolean force;

  @Option(
      names = "--no-serve",
      description = "Stop after the pipeline: bin/lakerank does not start the serving API.")
  boolean noServe;

  @Override
  protected Map<String, String> overrides() {
    Map<String, String> overrides = super.overrides();
    overrides.putAll(DEMO_SCALE);
    generate.addTo(overrides);
    return overrides;
  }

  @Override
  protected int run(CommandContext context) {
    PrintStream out = context.out();
    List<StepOutcome> outcomes =
        PipelineCommand.runPipeline(context, List.of(), "ranker", force, TrainingProfile.QUICK);
    Lakehouse lakehouse = context.lakehouse();
    SqlQueries sql = new SqlQueries(lakehouse);
    context.reporter().step("demo: reading what was built");
    SqlQueries.Result tables = sql.tables();
    SqlQueries.Result quarantine =
        sql.run(
            "SELECT rule, count(*) AS rows, first(reason) AS example FROM quarantine.events GROUP BY rule ORDER BY rows DESC",
            8);
    SqlQueries.Result activity =
        sql.run(
            "SELECT user_id, event_timestamp, impressions_7d, clicks_7d, round(ctr_7d, 3) AS ctr_7d, purchases_30d "
                + "FROM gold.user_activity_features ORDER BY event_timestamp DESC, impressions_7d DESC",
            5);
    SqlQueries.Result training =
        sql.run(
            "SELECT count(*) AS impressions, sum(label_click) AS clicks, round(avg(label_click), 4) AS ctr, "
                + "round(avg(CASE WHEN user_activity__ctr_7d IS NULL THEN 1 ELSE 0 END), 3) AS share_without_user_history "
                + "FROM gold.ranker_training_set",
            1);
    SqlQueries.Result sample =
        sql.run(
            "SELECT impression_id, user_id, item_id, event_timestamp, label_click, round(user_activity__ctr_7d, 3) AS user_ctr_7d, "
                + "round(item_popularity__ctr_7d, 3) AS item_ctr_7d, item_profile__category AS category "
                + "FROM gold.ranker_training_set WHERE user_activity__ctr_7d IS NOT NULL ORDER BY event_timestamp DESC",
            5);
    List<String> online = onlineSample(context, activity, sample);
    context.finishProgress();

    out.println();
    out.println("== pipeline");
    PipelineCommand.print(out, outcomes);
    section(out, "tables (under " + lakehouse.root() + ")", tables);
    section(out, "why rows were quarantined (quarantine.events)", quarantine);
    section(
        out,
        "offline features: the latest daily snapshots (gold.user_activity_features)",
        activity);
    section(
        out,
        "the ranker's training set, point-in-time joined (gold.ranker_training_set)",
        training);
    TablePrinter.print(out, TablePrinter.Format.TABLE, sample.columns(), sample.rows());
    out.println();
    out.println("== online features (Feast's layout, read back through the feature store)");
    online.forEach(out::println);
    out.println();
    out.println(
        "== models (registry "
            + context.config().locations().registryRoot().toAbsolutePath().normalize()
            + ")");
    ModelsCommand.ListModels.list(context);
    out.println(
        "  reports: "
            + context
                .config()
                .locations()
                .reportsRoot()
                .resolve(ModelReport.INDEX)
                .toAbsolutePath()
                .normalize());
    out.println("  bin/lakerank models show ranker");
    out.println(
        "  bin/lakerank batch-score --k 10 && bin/lakerank sql \"SELECT * FROM gold.recommendations WHERE user_id = 1\"");
    out.println(
        "  bin/lakerank sql \"SELECT model, version, alias, metrics['auc'] AS auc FROM ml.training_runs\"");
    out.println();
    out.println("== query it yourself");
    out.println("  bin/lakerank tables");
    out.println(
        "  bin/lakerank sql \"SELECT event_type, count(*) FROM silver.interactions GROUP BY 1\"");
    out.println("  bin/lakerank sql \"SELECT * FROM ops.transform_runs\"");
    out.println("  bin/lakerank sql \"DESCRIBE HISTORY silver.interactions\"");
    out.println("  bin/lakerank sql \"SELECT count(*) FROM bronze.events VERSION AS OF 1\"");
    out.println("  the tables are Delta tables on disk: " + lakehouse.root() + "/<schema>/<table>");
    return 0;
  }

  /**
   * A user and two items read from the online store as of the materialized time, with Feast's
   * statuses.
   */
  private static List<String> onlineSample(
      CommandContext context, SqlQueries.Result activity, SqlQueries.Result sample) {
    FeatureStoreLocation location = context.config().locations().featureStore();
    FeastRegistry registry = location.registry();
    java.util.Optional<java.time.Instant> end = registry.materializedUntil("user_activity");
    if (end.isEmpty() || activity.rows().isEmpty() || sample.rows().size() < 2) {
      return List.of("  nothing materialized");
    }
    long user = Long.parseLong(String.valueOf(activity.rows().get(0).get(0)));
    List<Long> items =
        List.of(
            Long.parseLong(String.valueOf(sample.rows().get(0).get(2))),
            Long.parseLong(String.valueOf(sample.rows().get(1).get(2))));
    List<FeatureReference> references =
        List.of(
            FeatureReference.parse("user_activity:impressions_7d"),
            FeatureReference.parse("user_activity:ctr_7d"),
            FeatureReference.parse("item_popularity:ctr_7d"),
            FeatureReference.parse("item_profile:category"),
            FeatureReference.parse("item_profile:price"));
    Map<String, List<Value>> entities =
        Map.of(
            "user_id",
                items.stream().map(i -> Value.newBuilder().setInt64Val(user).build()).toList(),
            "item_id", items.stream().map(i -> Value.newBuilder().setInt64Val(i).build()).toList());
    List<String> lines = new ArrayList<>();
    lines.add("  store: " + location.describeOnline() + "; registry: " + location.registryFile());
    lines.add(
        "  as of "
            + end.get()
            + " (the data's latest time; `features serve` answers the same over gRPC on :6566)");
    try (OnlineStore store = location.openOnline(1)) {
      OnlineFeatures features =
          new OnlineFeatureService(
                  registry, store, java.time.Clock.fixed(end.get(), java.time.ZoneOffset.UTC))
              .get(references, entities, false);
      for (int row = 0; row < items.size(); row++) {
        StringBuilder line =
            new StringBuilder(String.format("  user_id=%d item_id=%d:", user, items.get(row)));
        for (int f = 0; f < references.size(); f++) {
          Object value = FeatureValues.fromProto(features.value(f, row));
          line.append(
              String.format(
                  " %s=%s (%s)",
                  references.get(f),
                  value instanceof Double ? String.format("%.3f", value) : value,
                  features.status(f, row)));
        }
        lines.add(line.toString());
      }
    }
    return lines;
  }

  private static void section(PrintStream out, String title, SqlQueries.Result result) {
    out.println();
    out.println("== " + title);
    TablePrinter.print(out, TablePrinter.Format.TABLE, result.columns(), result.rows(), 90);
  }
}
