package dev.lakerank.jobs.cli;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.featurestore.retrieval.OnlineFeatureService;
import dev.lakerank.featurestore.serving.FeatureServer;
import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.features.FeatureApply;
import dev.lakerank.jobs.features.FeaturesJob;
import dev.lakerank.jobs.features.HistoricalFeatures;
import dev.lakerank.jobs.features.MaterializeJob;
import dev.lakerank.jobs.features.TrainingSetBuilder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = {
      "The feature store. Without a subcommand: build the gold feature tables, then the ranker's",
      "training set (the offline side). apply registers the definitions (Feast's registry.db),",
      "materialize copies the latest values online (SQLite or Redis, Feast's layouts), serve answers",
      "Feast's gRPC GetOnlineFeatures."
    },
    subcommands = {
      FeaturesCommand.Build.class,
      FeaturesCommand.TrainingSet.class,
      FeaturesCommand.Apply.class,
      FeaturesCommand.Materialize.class,
      FeaturesCommand.Serve.class
    })
final class FeaturesCommand extends LakerankSubcommand {
  @Option(
      names = "--service",
      paramLabel = "NAME",
      defaultValue = "ranker",
      description = "Feature service of the training set (default: ${DEFAULT-VALUE}).")
  String service;

  @Override
  protected int run(CommandContext context) {
    Build.build(context);
    TrainingSet.build(context, service);
    return 0;
  }

  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Recompute the gold feature tables from silver.",
        "gold.user_activity_features and gold.item_popularity_features: daily snapshots of 1, 7",
        "and 30-day activity; gold.item_profile_features: category and price."
      })
  static final class Build extends LakerankSubcommand {
    @Override
    protected int run(CommandContext context) {
      build(context);
      return 0;
    }

    static void build(CommandContext context) {
      Map<TableName, Long> rows =
          new FeaturesJob(context.lakehouse(), context.clock(), context.reporter()).build();
      context.finishProgress();
      rows.forEach((table, count) -> context.out().printf("%s: %,d rows%n", table, count));
    }
  }

  @Command(
      name = "training-set",
      mixinStandardHelpOptions = true,
      description = {
        "Build gold.ranker_training_set by point-in-time join.",
        "Every impression with its click and purchase labels and the",
        "features of a feature service as they were at the impression's time (Feast's point-in-time",
        "semantics: the latest row with t - ttl <= event_timestamp <= t)."
      })
  static final class TrainingSet extends LakerankSubcommand {
    @Option(
        names = "--service",
        paramLabel = "NAME",
        defaultValue = "ranker",
        description = "Feature service (default: ${DEFAULT-VALUE}).")
    String service;

    @Override
    protected int run(CommandContext context) {
      build(context, service);
      return 0;
    }

    static void build(CommandContext context, String service) {
      FeatureRepository repository =
          FeatureRepository.load(context.config().locations().featureRepo());
      TrainingSetBuilder.Summary summary =
          new TrainingSetBuilder(
                  context.lakehouse(),
                  new HistoricalFeatures(context.lakehouse(), repository),
                  context.reporter())
              .build(service);
      context.finishProgress();
      context
          .out()
          .printf(
              "%s: %,d impressions (%,d clicked) with %d features of service `%s`%n",
              summary.table(),
              summary.rows(),
              summary.clicks(),
              summary.features().size(),
              service);
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Check the feature definitions against the offline Delta tables and write registry.db.",
        "Every view's table must hold its join keys, timestamp fields and features with the declared",
        "types; all problems are listed, each with its fix, and nothing is written then. The registry",
        "is Feast's (a serialized feast.core.Registry), so Feast's SDK and servers read it too. Also",
        "creates the online store's tables. Materialization history of unchanged views is kept."
      })
  static final class Apply extends LakerankSubcommand {
    @Override
    protected int run(CommandContext context) {
      apply(context);
      return 0;
    }

    static void apply(CommandContext context) {
      FeatureStoreLocation location = context.config().locations().featureStore();
      FeatureApply.Summary summary =
          new FeatureApply(context.lakehouse(), context.clock()).apply(location);
      context.finishProgress();
      context
          .out()
          .printf(
              "applied %d entities, %d feature views, %d stream feature views, %d feature services to %s%n",
              summary.entities(),
              summary.featureViews(),
              summary.streamFeatureViews(),
              summary.featureServices(),
              location.registryFile());
      context.out().printf("online store: %s%n", location.describeOnline());
      summary.notes().forEach(note -> context.out().println("note: " + note));
    }
  }

  @Command(
      name = "materialize",
      mixinStandardHelpOptions = true,
      description = {
        "Copy each entity's latest offline values into the online store.",
        "Per online view, the rows with start <= event_timestamp <= end (and not older than end - ttl)",
        "are considered and each entity's latest is written, from the executors in parallel. Without",
        "--start it is incremental: from where the view's last materialization ended (recorded in",
        "registry.db, as Feast does). A store never replaces a newer value with an older one, so",
        "runs can be repeated."
      })
  static final class Materialize extends LakerankSubcommand {
    @Option(
        names = "--start",
        paramLabel = "TIME",
        description =
            "First event time: an instant (2026-01-15T00:00:00Z) or a date (UTC midnight). Default: incremental.")
    String start;

    @Option(
        names = "--end",
        paramLabel = "TIME",
        defaultValue = "now",
        description =
            "Last event time: an instant, a date, `now` or `latest` (the newest offline event time). Default: ${DEFAULT-VALUE}.")
    String end;

    @Option(
        names = "--views",
        split = ",",
        paramLabel = "VIEW",
        description = "Only these feature views (comma-separated). Default: every online view.")
    List<String> views = new ArrayList<>();

    @Override
    protected int run(CommandContext context) {
      FeatureStoreLocation location = context.config().locations().featureStore();
      MaterializeJob job =
          new MaterializeJob(context.lakehouse(), context.clock(), context.reporter());
      Instant endTime = time("--end", end, context, job, location);
      Optional<Instant> startTime =
          start == null
              ? Optional.empty()
              : Optional.of(time("--start", start, context, job, location));
      print(context, location, job.run(location, startTime, endTime, views));
      return 0;
    }

    static void print(
        CommandContext context,
        FeatureStoreLocation location,
        List<MaterializeJob.ViewResult> results) {
      context.finishProgress();
      context.out().printf("online store: %s%n", location.describeOnline());
      results.forEach(r -> context.out().println(PipelineText.describe(r)));
    }

    static Instant time(
        String option,
        String text,
        CommandContext context,
        MaterializeJob job,
        FeatureStoreLocation location) {
      if (text.equals("now")) {
        return context.clock().instant();
      }
      if (text.equals("latest")) {
        return job.latestEventTime(location.repository())
            .orElseThrow(
                () ->
                    JobErrors.notFound(
                        option
                            + " latest: the offline feature tables are empty; run `lakerank features build` first"));
      }
      try {
        return text.length() == 10
            ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
            : Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw JobErrors.invalidInput(
            option
                + " `"
                + text
                + "` is not a time; write 2026-01-15T00:00:00Z, 2026-01-15, now or latest");
      }
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = {
        "Serve Feast's gRPC feature service (feast.serving.ServingService) from the online store.",
        "GetOnlineFeatures takes feature references (view:feature) or a feature service and entity",
        "rows; each value comes with PRESENT, NOT_FOUND, NULL_VALUE or OUTSIDE_MAX_AGE. Feast's Java",
        "client (dev.feast:feast-serving-client) works unchanged. Runs until Ctrl-C."
      })
  static final class Serve extends LakerankSubcommand {
    @Option(
        names = "--port",
        defaultValue = "6566",
        paramLabel = "PORT",
        description = "Port (default: ${DEFAULT-VALUE}, Feast's).")
    int port;

    @Option(
        names = "--host",
        defaultValue = "127.0.0.1",
        paramLabel = "HOST",
        description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Override
    protected int run(CommandContext context) throws InterruptedException {
      FeatureStoreLocation location = context.config().locations().featureStore();
      FeastRegistry registry = location.registry();
      OnlineStore store = location.openOnline(2 * Runtime.getRuntime().availableProcessors());
      store.ping();
      FeatureServer server;
      try {
        server =
            FeatureServer.start(
                new OnlineFeatureService(registry, store, context.clock()),
                host,
                port,
                "lakerank-"
                    + Optional.ofNullable(
                            FeaturesCommand.class.getPackage().getImplementationVersion())
                        .orElse("dev"));
      } catch (java.io.UncheckedIOException e) {
        store.close();
        throw JobErrors.unavailable(e.getMessage(), e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    store.close();
                  },
                  "feature-server-shutdown"));
      context
          .out()
          .printf(
              "serving feast.serving.ServingService on %s:%d from %s (%d online views: %s); Ctrl-C stops%n",
              host,
              server.port(),
              location.describeOnline(),
              registry.onlineViews().size(),
              String.join(", ", registry.onlineViews().keySet()));
      context.out().flush();
      server.awaitTermination();
      return 0;
    }
  }
}
