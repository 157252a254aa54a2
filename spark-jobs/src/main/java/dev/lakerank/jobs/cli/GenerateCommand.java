package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.generate.GenerateJob;
import dev.lakerank.jobs.generate.GenerateSummary;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write a synthetic interaction data set whose truth is known.",
      "Files as an upstream system would write them: events as JSON lines by day, users and items",
      "as CSV; the true click probabilities and hidden factors (for evaluation only) under truth/.",
      "Users and items have hidden tastes, items a category, a price and Zipf-skewed popularity;",
      "clicks follow a known probability (affinity, popularity, device, hour). The same settings",
      "give the same files."
    })
final class GenerateCommand extends LakerankSubcommand {
  @Mixin GenerateOptions generate = new GenerateOptions();

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Where to write (default: raw.root).")
  String output;

  @Option(
      names = "--overwrite",
      description = "Replace a data set already in the output directory.")
  boolean overwrite;

  @Override
  protected Map<String, String> overrides() {
    Map<String, String> overrides = super.overrides();
    generate.addTo(overrides);
    return overrides;
  }

  @Override
  protected int run(CommandContext context) {
    String target = output != null ? output : context.config().locations().rawRoot();
    GenerateSummary summary =
        new GenerateJob(context.spark(), context.reporter())
            .run(context.config().generate(), target, overwrite);
    context.finishProgress();
    context.out().printf("wrote %s%n", summary.output());
    context
        .out()
        .printf(
            "  %,d event lines: %,d impressions, %,d clicks, %,d purchases, %,d ratings%n",
            summary.eventLines(),
            summary.impressions(),
            summary.clicks(),
            summary.purchases(),
            summary.ratings());
    context
        .out()
        .printf(
            "  %,d corrupted and %,d duplicated lines injected; mean true click probability %.4f%n",
            summary.corruptedLines(), summary.duplicatedLines(), summary.meanClickProbability());
    context.out().printf("  %,d users, %,d items%n", summary.users(), summary.items());
    context
        .out()
        .printf("next: lakerank ingest %s/users %s/items %s/events%n", target, target, target);
    return 0;
  }
}
