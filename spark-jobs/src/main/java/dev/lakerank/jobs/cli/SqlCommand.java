package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.query.SqlQueries;
import dev.lakerank.jobs.query.SqlScript;
import dev.lakerank.jobs.query.TablePrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
      "  lakerank sql \"DESCRIBE HISTORY silver.interactions\"",
      "  lakerank sql --file notebooks/lakehouse-tour.sql"
    })
final class SqlCommand extends LakerankSubcommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY", description = "The SQL statement.")
  String query;

  @Option(
      names = "--file",
      paramLabel = "FILE",
      description =
          "Run the statements of this file (separated by ;) one after the other, instead of QUERY.")
  Path file;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Rows to print at most (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  protected int run(CommandContext context) {
    if (limit < 1) {
      throw JobErrors.invalidInput("--limit " + limit + ": give at least 1");
    }
    if ((query == null) == (file == null)) {
      throw JobErrors.invalidInput(
          "give either a QUERY or --file FILE, not " + (file == null ? "neither" : "both"));
    }
    TablePrinter.Format output = parseFormat(format);
    SqlQueries queries = new SqlQueries(context.lakehouse());
    if (query != null) {
      print(context, output, queries.run(query, limit));
      return 0;
    }
    List<SqlScript.Statement> statements = readScript(file);
    for (int i = 0; i < statements.size(); i++) {
      SqlScript.Statement statement = statements.get(i);
      SqlQueries.Result result;
      try {
        result = queries.run(statement.sql(), limit);
      } catch (LakerankException e) {
        throw JobErrors.invalidInput(file + " line " + statement.line() + ": " + e.getMessage(), e);
      }
      if (i > 0) {
        context.out().println();
      }
      context.out().println("-- " + file + " line " + statement.line());
      print(context, output, result);
    }
    return 0;
  }

  private void print(CommandContext context, TablePrinter.Format output, SqlQueries.Result result) {
    context.finishProgress();
    TablePrinter.print(context.out(), output, result.columns(), result.rows());
    if (result.truncated()) {
      context.err().println("(first " + limit + " rows; --limit shows more)");
    }
  }

  private static List<SqlScript.Statement> readScript(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw JobErrors.notFound("cannot read --file " + file + ": " + e.getMessage(), e);
    }
    List<SqlScript.Statement> statements = SqlScript.statements(text);
    if (statements.isEmpty()) {
      throw JobErrors.invalidInput(file + " holds no SQL statement; separate statements with ;");
    }
    return statements;
  }

  static TablePrinter.Format parseFormat(String text) {
    try {
      return TablePrinter.Format.parse(text);
    } catch (IllegalArgumentException e) {
      throw JobErrors.invalidInput("--format " + text + ": use table, csv or json");
    }
  }
}
