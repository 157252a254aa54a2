package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.config.LakerankConfig;
import dev.lakerank.jobs.pipeline.Pipeline;
import dev.lakerank.jobs.pipeline.StepOutcome;
import dev.lakerank.jobs.pipeline.TrainingProfile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = "The batch pipeline: `lakerank pipeline run`.",
    subcommands = {PipelineCommand.Run.class})
final class PipelineCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Run the batch pipeline from files to registered models.",
        "Generates a synthetic data set (or takes --source files), then ingests, transforms, builds",
        "the feature tables and the training set, trains the ALS recommender and the GBT ranker,",
        "registers them (champion when at least as good as the current one) and writes their reports.",
        "A step whose inputs did not change since its last success is skipped unless --force."
      })
  static final class Run extends LakerankSubcommand {
    @Mixin GenerateOptions generate = new GenerateOptions();

    @Option(
        names = "--source",
        paramLabel = "PATH",
        description =
            "Ingest these files or directories instead of generating data (users and items before events). Repeatable.")
    List<String> sources = new ArrayList<>();

    @Option(
        names = "--service",
        paramLabel = "NAME",
        defaultValue = "ranker",
        description = "Feature service of the training set (default: ${DEFAULT-VALUE}).")
    String service;

    @Option(names = "--force", description = "Run every step even if its inputs did not change.")
    boolean force;

    @Option(
        names = "--no-train",
        description = "Stop after the training set: do not train, register or report models.")
    boolean noTrain;

    @Option(
        names = "--training",
        defaultValue = "full",
        paramLabel = "PROFILE",
        description =
            "full: tune ALS (rank, regParam, alpha) and the GBT ranker (100 trees); quick: fixed settings, 50 trees, no tuning (default: ${DEFAULT-VALUE}).")
    String training;

    @Override
    protected Map<String, String> overrides() {
      Map<String, String> overrides = super.overrides();
      generate.addTo(overrides);
      return overrides;
    }

    @Override
    protected int run(CommandContext context) {
      List<StepOutcome> outcomes =
          runPipeline(
              context, sources, service, force, noTrain ? null : TrainingProfile.parse(training));
      context.finishProgress();
      print(context.out(), outcomes);
      context
          .out()
          .println(
              "tables: lakerank tables; query: lakerank sql \"SELECT * FROM gold.ranker_training_set LIMIT 5\"");
      return 0;
    }
  }

  static List<StepOutcome> runPipeline(
      CommandContext context,
      List<String> sources,
      String service,
      boolean force,
      TrainingProfile training) {
    LakerankConfig config = context.config();
    Pipeline.Options options =
        new Pipeline.Options(
            sources,
            config.locations().rawRoot(),
            config.generate(),
            config.transformFutureTolerance(),
            config.locations().featureStore(),
            service,
            force,
            training,
            config.locations().reportsRoot(),
            config.codeVersion());
    return new Pipeline(
            context.lakehouse(),
            context.registry(),
            context.clock(),
            context.reporter(),
            PipelineText::lines)
        .run(options);
  }

  static void print(PrintStream out, List<StepOutcome> outcomes) {
    PipelineText.print(out, outcomes);
  }
}
