package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.query.SqlQueries;
import dev.lakerank.jobs.query.TablePrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "tables",
    mixinStandardHelpOptions = true,
    description =
        "List the tables of the lakehouse with their Delta version, rows, files, size and location.")
final class TablesCommand extends LakerankSubcommand {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  protected int run(CommandContext context) {
    TablePrinter.Format output = SqlCommand.parseFormat(format);
    SqlQueries.Result result = new SqlQueries(context.lakehouse()).tables();
    context.finishProgress();
    if (result.rows().isEmpty()) {
      context
          .out()
          .println(
              "no tables under "
                  + context.lakehouse().root()
                  + "; run `lakerank pipeline run` or `lakerank demo`");
      return 0;
    }
    TablePrinter.print(context.out(), output, result.columns(), result.rows());
    return 0;
  }
}
