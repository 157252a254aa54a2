package dev.lakerank.jobs.ingest;

import static java.util.Objects.requireNonNull;

import dev.lakerank.jobs.tables.BronzeTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to ingest and how to read it.
 *
 * @param sources files or directories (read recursively), local paths or Hadoop URIs
 * @param format the layout, or empty to tell it from the file names
 * @param table the bronze table to feed, or empty to tell it from the layout or directory name
 * @param columnMap bronze field to source column, for layouts whose names differ ({@code user_id ->
 *     uid})
 * @param constants bronze field to a value every row gets ({@code event_type -> rating})
 * @param delimiter CSV field separator
 * @param header whether CSV files start with a header line
 * @param columns names of the columns of header-less CSV files, in order
 * @param allowChanged ingest again a file that changed since it was ingested (its rows are then in
 *     bronze twice; transform keeps one per event id)
 */
public record IngestRequest(
    List<String> sources,
    Optional<SourceFormat> format,
    Optional<BronzeTable> table,
    Map<String, String> columnMap,
    Map<String, String> constants,
    String delimiter,
    boolean header,
    List<String> columns,
    boolean allowChanged) {
  public IngestRequest {
    sources = List.copyOf(sources);
    requireNonNull(format, "format");
    requireNonNull(table, "table");
    columnMap = Map.copyOf(columnMap);
    constants = Map.copyOf(constants);
    requireNonNull(delimiter, "delimiter");
    columns = List.copyOf(columns);
  }

  /** Ingest {@code sources} with every option at its default. */
  public static IngestRequest of(List<String> sources) {
    return new IngestRequest(
        sources,
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        Map.of(),
        ",",
        true,
        List.of(),
        false);
  }

  /** The same request for {@code table}. */
  public IngestRequest withTable(BronzeTable bronzeTable) {
    return new IngestRequest(
        sources,
        format,
        Optional.of(bronzeTable),
        columnMap,
        constants,
        delimiter,
        header,
        columns,
        allowChanged);
  }

  /** The same request in {@code sourceFormat}. */
  public IngestRequest withFormat(SourceFormat sourceFormat) {
    return new IngestRequest(
        sources,
        Optional.of(sourceFormat),
        table,
        columnMap,
        constants,
        delimiter,
        header,
        columns,
        allowChanged);
  }
}
