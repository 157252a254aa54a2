package dev.lakerank.jobs.cli;

import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.features.HistoricalFeatures;
import dev.lakerank.jobs.pipeline.Pipeline;
import dev.lakerank.jobs.tables.BatchRecommendations;
import dev.lakerank.jobs.train.BatchScorer;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "batch-score",
    mixinStandardHelpOptions = true,
    description = {
      "Top K recommendations for every user into gold.recommendations.",
      "ALS candidates from the recommender (seen items excluded, popular items for unknown users),",
      "features as of now, re-ranked by the ranker; both models by alias from the registry."
    })
final class BatchScoreCommand extends LakerankSubcommand {
  @Option(
      names = "--k",
      defaultValue = "10",
      paramLabel = "K",
      description = "Items per user (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--candidates",
      defaultValue = "200",
      paramLabel = "N",
      description = "ALS candidates re-ranked per user (default: ${DEFAULT-VALUE}).")
  int candidates;

  @Option(
      names = "--recommender",
      defaultValue = Pipeline.RECOMMENDER,
      paramLabel = "NAME",
      description = "Recommender model (default: ${DEFAULT-VALUE}).")
  String recommender;

  @Option(
      names = "--ranker",
      defaultValue = Pipeline.RANKER,
      paramLabel = "NAME",
      description = "Ranker model (default: ${DEFAULT-VALUE}).")
  String ranker;

  @Option(
      names = "--alias",
      defaultValue = ModelRegistry.CHAMPION,
      paramLabel = "ALIAS",
      description = "Alias (or version number) of both models (default: ${DEFAULT-VALUE}).")
  String alias;

  @Override
  protected int run(CommandContext context) {
    if (k < 1 || k > candidates) {
      throw JobErrors.invalidInput(
          "--k must be between 1 and --candidates (" + candidates + "), got " + k);
    }
    ModelRegistry registry = context.registry();
    ModelVersion recommenderVersion = ModelsCommand.resolve(registry, recommender, alias);
    ModelVersion rankerVersion = ModelsCommand.resolve(registry, ranker, alias);
    // the scorers read the bundles from their local directories: a remote registry downloads them
    // now
    registry.open(recommenderVersion);
    registry.open(rankerVersion);
    FeatureRepository repository =
        FeatureRepository.load(context.config().locations().featureRepo());
    BatchScorer.Summary summary =
        new BatchScorer(
                context.lakehouse(),
                new HistoricalFeatures(context.lakehouse(), repository),
                context.reporter())
            .score(recommenderVersion, rankerVersion, k, candidates, Instant.now(context.clock()));
    context.finishProgress();
    context
        .out()
        .printf(
            "%s: %,d rows, top %d for %,d users (%,d with popularity candidates) by %s v%d and %s v%d%n",
            BatchRecommendations.NAME,
            summary.rows(),
            k,
            summary.users(),
            summary.fallbackUsers(),
            recommender,
            recommenderVersion.version(),
            ranker,
            rankerVersion.version());
    return 0;
  }
}
