package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.query.SqlQueries;
import dev.lakerank.jobs.query.TablePrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run Spark SQL over the tables of the lakehouse.",
      "Tables are named <schema>.<table> (see `lakerank tables`); Delta's time travel and",
      "history work: VERSION AS OF, TIMESTAMP AS OF, DESCRIBE HISTORY."
    },
    footer = {
      "",
      "Examples:",
      "  lakerank sql \"SELECT event_type, count(*) FROM silver.interactions GROUP BY 1\"",
      "  lakerank sql \"SELECT count(*) FROM silver.interactions VERSION AS OF 1\"",
      "  lakerank sql \"DESCRIBE HISTORY silver.interactions\""
    })
final class SqlCommand extends LakerankSubcommand {
  @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL statement.")
  String query;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Rows to print at most (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  int run(CommandContext context) {
    if (limit < 1) {
      throw new LakerankException("--limit " + limit + ": give at least 1");
    }
    TablePrinter.Format output = parseFormat(format);
    SqlQueries.Result result = new SqlQueries(context.lakehouse()).run(query, limit);
    context.finishProgress();
    TablePrinter.print(context.out(), output, result.columns(), result.rows());
    if (result.truncated()) {
      context.err().println("(first " + limit + " rows; --limit shows more)");
    }
    return 0;
  }

  static TablePrinter.Format parseFormat(String text) {
    try {
      return TablePrinter.Format.parse(text);
    } catch (IllegalArgumentException e) {
      throw new LakerankException("--format " + text + ": use table, csv or json");
    }
  }
}
