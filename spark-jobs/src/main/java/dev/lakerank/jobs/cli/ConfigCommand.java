package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.config.ResolvedSettings;
import dev.lakerank.jobs.config.Setting;
import dev.lakerank.jobs.config.Settings;
import dev.lakerank.jobs.query.TablePrinter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "List every setting, its value and where the value came from.",
      "Set them in lakerank.yaml (nested keys), as LAKERANK_<KEY> variables",
      "(LAKERANK_GENERATE_EVENTS) or with --set key=value; flags win over variables, variables",
      "over the file."
    })
final class ConfigCommand extends LakerankSubcommand {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  protected int run(CommandContext context) {
    ResolvedSettings resolved = context.config().resolved();
    List<List<String>> rows = new ArrayList<>();
    for (Setting<?> setting : Settings.ALL) {
      String value =
          Settings.SECRETS.contains(setting) && !resolved.text(setting).isEmpty()
              ? "(hidden)"
              : resolved.text(setting);
      rows.add(List.of(setting.key(), value, resolved.origin(setting), setting.doc()));
    }
    resolved
        .sparkConf()
        .forEach(
            (key, value) ->
                rows.add(
                    List.of(
                        Settings.SPARK_CONF_PREFIX + key,
                        value,
                        "file or flag",
                        "Spark property")));
    TablePrinter.print(
        context.out(),
        SqlCommand.parseFormat(format),
        List.of("setting", "value", "from", "meaning"),
        rows,
        240);
    return 0;
  }
}
