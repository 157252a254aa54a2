package dev.lakerank.jobs.cli;

import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.jobs.features.FeaturesJob;
import dev.lakerank.jobs.features.HistoricalFeatures;
import dev.lakerank.jobs.features.TrainingSetBuilder;
import dev.lakerank.jobs.catalog.TableName;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = {
      "Build the gold feature tables, then the ranker's training set.",
      "The feature tables are the offline feature store; the training set joins them to each",
      "impression as of its time. Run a subcommand for one of the two."
    },
    subcommands = {FeaturesCommand.Build.class, FeaturesCommand.TrainingSet.class})
final class FeaturesCommand extends LakerankSubcommand {
  @Option(names = "--service", paramLabel = "NAME", defaultValue = "ranker",
      description = "Feature service of the training set (default: ${DEFAULT-VALUE}).")
  String service;

  @Override
  int run(CommandContext context) {
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
    int run(CommandContext context) {
      build(context);
      return 0;
    }

    static void build(CommandContext context) {
      Map<TableName, Long> rows = new FeaturesJob(context.lakehouse(), context.clock(), context.reporter()).build();
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
    @Option(names = "--service", paramLabel = "NAME", defaultValue = "ranker",
        description = "Feature service (default: ${DEFAULT-VALUE}).")
    String service;

    @Override
    int run(CommandContext context) {
      build(context, service);
      return 0;
    }

    static void build(CommandContext context, String service) {
      FeatureRepository repository = FeatureRepository.load(context.config().locations().featureRepo());
      TrainingSetBuilder.Summary summary =
          new TrainingSetBuilder(context.lakehouse(), new HistoricalFeatures(context.lakehouse(), repository), context.reporter())
              .build(service);
      context.finishProgress();
      context.out().printf("%s: %,d impressions (%,d clicked) with %d features of service `%s`%n",
          summary.table(), summary.rows(), summary.clicks(), summary.features().size(), service);
    }
  }
}
