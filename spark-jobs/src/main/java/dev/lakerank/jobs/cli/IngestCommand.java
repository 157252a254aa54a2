package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.ingest.IngestJob;
import dev.lakerank.jobs.ingest.IngestRequest;
import dev.lakerank.jobs.ingest.IngestSummary;
import dev.lakerank.jobs.ingest.SourceFormat;
import dev.lakerank.jobs.tables.BronzeTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Read source files into a bronze Delta table.",
      "Every field is kept as text, with the source file, ingest time and batch id of each row;",
      "a line that cannot be parsed is kept whole. Files already ingested are skipped.",
      "Formats: csv, json (lines), parquet, and MovieLens u.data, ratings.dat and ratings.csv."
    },
    footer = {
      "",
      "Examples:",
      "  lakerank ingest data/raw/users data/raw/items data/raw/events",
      "  lakerank ingest ml-1m/ratings.dat",
      "  lakerank ingest --table events --map user_id=uid --map item_id=sku --constant event_type=click clicks.csv"
    })
final class IngestCommand extends LakerankSubcommand {
  @Parameters(
      arity = "1..*",
      paramLabel = "SOURCE",
      description =
          "Files or directories (read recursively). Several sources are ingested one after the other.")
  List<String> sources = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "csv, json, parquet, movielens-udata, movielens-dat or movielens-csv (default: from the file names).")
  String format;

  @Option(
      names = "--table",
      paramLabel = "TABLE",
      description =
          "events, users or items (default: from the directory or file name; MovieLens: events).")
  String table;

  @Option(
      names = "--map",
      paramLabel = "FIELD=COLUMN",
      description = "Read bronze field FIELD from source column COLUMN. Repeatable.")
  Map<String, String> columnMap = new LinkedHashMap<>();

  @Option(
      names = "--constant",
      paramLabel = "FIELD=VALUE",
      description = "Give every row this value of FIELD, e.g. event_type=rating. Repeatable.")
  Map<String, String> constants = new LinkedHashMap<>();

  @Option(
      names = "--delimiter",
      paramLabel = "TEXT",
      defaultValue = ",",
      description = "CSV field separator (default: ${DEFAULT-VALUE}).")
  String delimiter;

  @Option(
      names = "--no-header",
      description = "CSV files have no header line; name their columns with --columns.")
  boolean noHeader;

  @Option(
      names = "--columns",
      split = ",",
      paramLabel = "NAMES",
      description = "Names of the columns of header-less CSV files, in order.")
  List<String> columns = new ArrayList<>();

  @Option(
      names = "--allow-changed",
      description =
          "Ingest again a file that changed since it was ingested (transform keeps one row per event id).")
  boolean allowChanged;

  @Override
  protected int run(CommandContext context) {
    Optional<SourceFormat> sourceFormat = Optional.ofNullable(format).map(SourceFormat::parse);
    Optional<BronzeTable> bronzeTable = Optional.ofNullable(table).map(IngestCommand::parseTable);
    IngestJob job = new IngestJob(context.lakehouse(), context.clock(), context.reporter());
    List<IngestSummary> summaries = new ArrayList<>();
    for (String source : sources) {
      summaries.add(
          job.run(
              new IngestRequest(
                  List.of(source),
                  sourceFormat,
                  bronzeTable,
                  columnMap,
                  constants,
                  delimiter,
                  !noHeader,
                  columns,
                  allowChanged)));
    }
    context.finishProgress();
    for (IngestSummary summary : summaries) {
      context
          .out()
          .printf(
              "%s: %,d rows from %d %s files (%d skipped: ingested before), %,d unparseable kept; version %d%s%n",
              summary.table().tableName(),
              summary.rows(),
              summary.filesRead(),
              summary.format().flag(),
              summary.filesSkipped(),
              summary.corruptRows(),
              summary.bronzeVersion(),
              summary.batchId() == null ? "" : ", batch " + summary.batchId());
    }
    return 0;
  }

  private static BronzeTable parseTable(String text) {
    try {
      return BronzeTable.valueOf(text.toUpperCase(Locale.ROOT).replace("BRONZE.", ""));
    } catch (IllegalArgumentException e) {
      throw JobErrors.invalidInput("--table " + text + ": use events, users or items");
    }
  }
}
