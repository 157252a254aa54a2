package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import dev.lakerank.model.registry.RegistryEvent;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "The model registry: versions, aliases (champion, challenger) and their history.",
      "Runs without Spark. The registry is the registry.root directory (--registry), or MLflow",
      "with registry.type=mlflow and registry.mlflow.tracking-uri (docs/mlflow.md)."
    },
    subcommands = {
      ModelsCommand.ListModels.class,
      ModelsCommand.Show.class,
      ModelsCommand.Promote.class,
      ModelsCommand.Rollback.class
    })
final class ModelsCommand extends LakerankSubcommand {
  @Override
  protected int run(CommandContext context) {
    return ListModels.list(context);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every model with its versions, aliases and primary metrics.")
  static final class ListModels extends LakerankSubcommand {
    @Override
    protected int run(CommandContext context) {
      return list(context);
    }

    static int list(CommandContext context) {
      ModelRegistry registry = context.registry();
      PrintStream out = context.out();
      List<String> models = registry.models();
      if (models.isEmpty()) {
        out.println(
            "the " + registry.describe() + " is empty: train a model with `lakerank train`");
        return 0;
      }
      out.printf(
          "%-14s %7s  %-20s %-11s %-22s %s%n",
          "MODEL", "VERSION", "KIND", "ALIASES", "REGISTERED", "METRICS");
      for (String model : models) {
        Map<String, Integer> aliases = registry.aliases(model);
        for (ModelVersion version : registry.versions(model)) {
          out.printf(
              "%-14s %7d  %-20s %-11s %-22s %s%n",
              model,
              version.version(),
              version.manifest().kind().value(),
              aliasesOf(aliases, version.version()),
              version.registeredAt().replaceAll("\\.\\d+Z$", "Z"),
              headline(version));
        }
      }
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "One version (default: the champion): metrics, params, lineage, features, files, and the model's alias history.")
  static final class Show extends LakerankSubcommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name.")
    String model;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "VERSION",
        description = "Version number or alias (default: champion).")
    String version;

    @Override
    protected int run(CommandContext context) {
      ModelRegistry registry = context.registry();
      ModelVersion shown =
          resolve(registry, model, version == null ? ModelRegistry.CHAMPION : version);
      var manifest = shown.manifest();
      PrintStream out = context.out();
      out.printf(
          "%s v%d  %s  aliases: %s%n",
          model,
          shown.version(),
          manifest.kind().value(),
          aliasesOf(registry.aliases(model), shown.version()));
      out.printf(
          "created %s, registered %s, Spark %s%n",
          manifest.createdAt(), shown.registeredAt(), manifest.sparkVersion());
      out.printf("bundle: %s%n", shown.source());
      if (!shown.source().equals(shown.bundle().toString())) {
        out.printf(
            "local copy: %s%s%n",
            shown.bundle(),
            java.nio.file.Files.isDirectory(shown.bundle())
                ? ""
                : " (downloaded when first opened)");
      }
      section(
          out,
          "metrics",
          manifest.metrics().entrySet().stream()
              .map(e -> String.format("%-26s %s", e.getKey(), TrainCommand.format(e.getValue())))
              .toList());
      section(
          out,
          "params",
          manifest.params().entrySet().stream()
              .map(e -> String.format("%-26s %s", e.getKey(), e.getValue()))
              .toList());
      section(
          out,
          "lineage",
          manifest.lineage().entrySet().stream()
              .map(e -> String.format("%-26s %s", e.getKey(), e.getValue()))
              .toList());
      section(
          out,
          "training tables",
          manifest.trainingTables().entrySet().stream()
              .map(e -> String.format("%-26s version %d", e.getKey(), e.getValue()))
              .toList());
      section(out, "inputs, in order", manifest.features());
      section(
          out,
          "files (sha256)",
          manifest.files().entrySet().stream()
              .map(e -> String.format("%-26s %s", e.getKey(), e.getValue()))
              .toList());
      section(
          out, "history", registry.history(model).stream().map(ModelsCommand::describe).toList());
      return 0;
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description = {
        "Point an alias (default champion) at a version, atomically.",
        "The serving API picks the change up without a restart."
      })
  static final class Promote extends LakerankSubcommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name.")
    String model;

    @Parameters(
        index = "1",
        paramLabel = "VERSION",
        description = "Version number, or an alias (challenger) to copy.")
    String version;

    @Option(
        names = "--alias",
        defaultValue = ModelRegistry.CHAMPION,
        paramLabel = "ALIAS",
        description = "Alias to move (default: ${DEFAULT-VALUE}).")
    String alias;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded in the history.")
    String reason;

    @Override
    protected int run(CommandContext context) {
      ModelRegistry registry = context.registry();
      ModelVersion target = resolve(registry, model, version);
      Integer before = registry.aliases(model).get(alias);
      registry.setAlias(
          model, alias, target.version(), reason == null ? "promoted by hand" : reason);
      context
          .out()
          .printf(
              "%s %s: v%s -> v%d%n",
              model, alias, before == null ? "(unset)" : before, target.version());
      return 0;
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description =
          "Point an alias (default champion) back at the version it held before its current one.")
  static final class Rollback extends LakerankSubcommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name.")
    String model;

    @Option(
        names = "--alias",
        defaultValue = ModelRegistry.CHAMPION,
        paramLabel = "ALIAS",
        description = "Alias to roll back (default: ${DEFAULT-VALUE}).")
    String alias;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded in the history.")
    String reason;

    @Override
    protected int run(CommandContext context) {
      ModelRegistry registry = context.registry();
      Integer before = registry.aliases(model).get(alias);
      ModelVersion now =
          registry.rollback(model, alias, reason == null ? "rolled back by hand" : reason);
      context.out().printf("%s %s: v%s -> v%d%n", model, alias, before, now.version());
      return 0;
    }
  }

  /** A version number, or an alias. */
  static ModelVersion resolve(ModelRegistry registry, String model, String versionOrAlias) {
    if (versionOrAlias.matches("[0-9]+")) {
      return registry.version(model, Integer.parseInt(versionOrAlias));
    }
    return registry
        .alias(model, versionOrAlias)
        .orElseThrow(
            () ->
                JobErrors.notFound(
                    "model `"
                        + model
                        + "` has no alias `"
                        + versionOrAlias
                        + "`; its aliases: "
                        + registry.aliases(model)
                        + (registry.versions(model).isEmpty()
                            ? " (and no versions: models are " + registry.models() + ")"
                            : "")));
  }

  private static String aliasesOf(Map<String, Integer> aliases, int version) {
    String names =
        aliases.entrySet().stream()
            .filter(e -> e.getValue() == version)
            .map(Map.Entry::getKey)
            .sorted()
            .collect(Collectors.joining(","));
    return names.isEmpty() ? "-" : names;
  }

  private static String headline(ModelVersion version) {
    return version.manifest().metrics().entrySet().stream()
        .filter(
            e ->
                List.of(
                        "auc",
                        "oracle_auc",
                        "log_loss",
                        "rmse",
                        "ndcg_at_10",
                        "precision_at_10",
                        "recall_at_10")
                    .contains(e.getKey()))
        .map(e -> e.getKey() + "=" + String.format("%.4f", e.getValue()))
        .collect(Collectors.joining(" "));
  }

  private static String describe(RegistryEvent event) {
    return switch (event.event()) {
      case RegistryEvent.REGISTER -> event.at() + "  registered v" + event.version();
      case RegistryEvent.ROLLBACK ->
          event.at()
              + "  "
              + event.alias()
              + " rolled back v"
              + event.previous()
              + " -> v"
              + event.version()
              + (event.reason() == null ? "" : " (" + event.reason() + ")");
      default ->
          event.at()
              + "  "
              + event.alias()
              + " -> v"
              + event.version()
              + (event.previous() == null ? "" : " (was v" + event.previous() + ")")
              + (event.reason() == null ? "" : ": " + event.reason());
    };
  }

  private static void section(PrintStream out, String title, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    out.println();
    out.println(title + ":");
    lines.forEach(line -> out.println("  " + line));
  }
}
