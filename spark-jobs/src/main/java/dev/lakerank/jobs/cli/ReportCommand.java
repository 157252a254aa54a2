package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import dev.lakerank.model.report.ModelReport;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "report",
    // not mixinStandardHelpOptions: its -V/--version clashes with --version below, and picocli then
    // leaves out the whole mixin, --help included
    description = {
      "Write HTML pages for registered models: metrics, ROC, precision-recall and calibration curves,",
      "metrics at K, feature importance and metrics across versions, as charts that open offline.",
      "Without options: one page per version of every model, and an index.html. Runs without Spark."
    })
final class ReportCommand extends LakerankSubcommand {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--model", paramLabel = "NAME", description = "Only this model.")
  String model;

  @Option(
      names = "--version",
      paramLabel = "VERSION",
      description = "Only this version (a number or an alias; needs --model).")
  String version;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description = "Where the pages go (reports.root; default ./reports).")
  Path output;

  @Override
  protected int run(CommandContext context) {
    ModelRegistry registry = context.registry();
    Path directory = output != null ? output : context.config().locations().reportsRoot();
    if (version != null && model == null) {
      throw JobErrors.invalidInput("--version needs --model");
    }
    if (registry.models().isEmpty()) {
      throw JobErrors.notFound(
          "the "
              + registry.describe()
              + " is empty: train a model with `lakerank train` (or `lakerank pipeline run`) first");
    }
    ModelReport report = new ModelReport();
    if (model != null) {
      List<ModelVersion> versions =
          version != null
              ? List.of(ModelsCommand.resolve(registry, model, version))
              : registry.versions(model);
      if (versions.isEmpty()) {
        throw JobErrors.notFound(
            "model `" + model + "` has no versions; models: " + registry.models());
      }
      for (ModelVersion shown : versions) {
        context
            .out()
            .println(report.write(registry, model, shown.version(), directory).toAbsolutePath());
      }
      return 0;
    }
    List<Path> pages = report.writeAll(registry, directory);
    context
        .out()
        .printf(
            "%d pages in %s; open %s%n",
            pages.size(),
            directory.toAbsolutePath(),
            directory.resolve(ModelReport.INDEX).toAbsolutePath());
    return 0;
  }
}
