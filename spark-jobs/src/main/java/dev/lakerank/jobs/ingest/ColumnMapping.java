package dev.lakerank.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.SilverInteractions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The columns of a source layout and the bronze field each one feeds: the layout's own names
 * (MovieLens), a CSV header or the given {@code --columns}, the Parquet schema, or the fields
 * themselves (JSON), with {@code --map} and {@code --constant} applied and the fields the table
 * needs checked.
 */
final class ColumnMapping {
  /**
   * Source columns and the bronze field each one feeds.
   *
   * @param derivesEventId the source has no event id: one is made from the event's content
   */
  record SourceColumns(
      List<String> columns, Map<String, String> fieldToColumn, boolean derivesEventId) {
    boolean has(String field) {
      return fieldToColumn.containsKey(field);
    }

    String columnFor(String field) {
      return fieldToColumn.get(field);
    }
  }

  private final SparkSession spark;
  private final Reporter reporter;

  ColumnMapping(SparkSession spark, Reporter reporter) {
    this.spark = spark;
    this.reporter = reporter;
  }

  /**
   * The columns of the source and which bronze field each feeds, checked against the fields the
   * table needs.
   */
  SourceColumns sourceColumns(
      BronzeTable table, SourceFormat format, IngestRequest request, SourceFile first) {
    List<String> columns;
    Map<String, String> fieldToColumn = new LinkedHashMap<>();
    switch (format) {
      case MOVIELENS_UDATA, MOVIELENS_DAT -> {
        columns = SourceFormat.MOVIELENS_FIELDS;
        columns.forEach(c -> fieldToColumn.put(c, c));
      }
      case MOVIELENS_CSV -> {
        columns = FormatDetection.csvHeader(spark, first, ",");
        for (String column : columns) {
          String field = SourceFormat.MOVIELENS_CSV_HEADER.get(column);
          if (field != null) {
            fieldToColumn.put(field, column);
          }
        }
      }
      case JSON -> {
        // JSON fields are looked up by name per line; a missing field reads as null and the row is
        // quarantined by transform with the field it lacks
        columns = new ArrayList<>();
        for (String field : table.sourceFields()) {
          String column = request.columnMap().getOrDefault(field, field);
          columns.add(column);
          fieldToColumn.put(field, column);
        }
      }
      case CSV ->
          columns =
              request.header()
                  ? FormatDetection.csvHeader(spark, first, request.delimiter())
                  : headerlessColumns(request, first);
      case PARQUET -> columns = List.of(spark.read().parquet(first.readPath()).columns());
      default -> throw new IllegalStateException(format.name());
    }
    if (format == SourceFormat.CSV || format == SourceFormat.PARQUET) {
      for (String field : table.sourceFields()) {
        String column = request.columnMap().getOrDefault(field, field);
        if (columns.contains(column)) {
          fieldToColumn.put(field, column);
        }
      }
    }
    checkMappings(table, format, request, first, columns);
    boolean derivesEventId =
        table == BronzeTable.EVENTS
            && !fieldToColumn.containsKey(SilverInteractions.EVENT_ID)
            && !request.constants().containsKey(SilverInteractions.EVENT_ID);
    SourceColumns source = new SourceColumns(columns, fieldToColumn, derivesEventId);
    checkRequired(table, format, request, source, first, columns);
    if (format.isMovieLens() || format == SourceFormat.CSV || format == SourceFormat.PARQUET) {
      List<String> unused = columns.stream().filter(c -> !fieldToColumn.containsValue(c)).toList();
      if (!unused.isEmpty()) {
        reporter.detail(
            "columns not kept in "
                + table.tableName()
                + ": "
                + String.join(", ", unused)
                + " (map one to a field with --map <field>=<column>)");
      }
    }
    if (derivesEventId) {
      reporter.detail(
          SourceListing.fileName(first.uri())
              + " has no event_id: deriving it from user_id, item_id, event_type and event_time");
    }
    return source;
  }

  /** The text of bronze field {@code field}: a constant, a source column, or a derived event id. */
  static Column fieldValue(
      BronzeTable table, String field, SourceColumns source, IngestRequest request) {
    String constant = request.constants().get(field);
    if (constant != null) {
      return lit(constant);
    }
    if (source.has(field)) {
      return col(quote(source.columnFor(field))).cast(DataTypes.StringType);
    }
    if (table == BronzeTable.EVENTS
        && field.equals(SilverInteractions.EVENT_ID)
        && source.derivesEventId()) {
      // sources without event ids (MovieLens) get a stable one from the event's content, so the
      // same event read twice is recognized as a duplicate
      Column content =
          concat_ws(
              "|",
              fieldValue(table, SilverInteractions.USER_ID, source, request),
              fieldValue(table, SilverInteractions.ITEM_ID, source, request),
              fieldValue(table, SilverInteractions.EVENT_TYPE, source, request),
              fieldValue(table, SilverInteractions.EVENT_TIME, source, request));
      return concat(lit("h-"), substring(sha2(content, 256), 1, 32));
    }
    return lit(null).cast(DataTypes.StringType);
  }

  private static void checkMappings(
      BronzeTable table,
      SourceFormat format,
      IngestRequest request,
      SourceFile first,
      List<String> columns) {
    for (Map.Entry<String, String> mapping : request.columnMap().entrySet()) {
      if (!table.sourceFields().contains(mapping.getKey())) {
        throw JobErrors.invalidInput(
            "--map "
                + mapping.getKey()
                + "="
                + mapping.getValue()
                + ": "
                + table.tableName()
                + " has no field `"
                + mapping.getKey()
                + "` (fields: "
                + String.join(", ", table.sourceFields())
                + ")");
      }
      if (format != SourceFormat.JSON && !columns.contains(mapping.getValue())) {
        throw JobErrors.invalidInput(
            "--map "
                + mapping.getKey()
                + "="
                + mapping.getValue()
                + ": "
                + SourceListing.fileName(first.uri())
                + " has no column `"
                + mapping.getValue()
                + "` (found: "
                + String.join(", ", columns)
                + ")");
      }
    }
  }

  private static void checkRequired(
      BronzeTable table,
      SourceFormat format,
      IngestRequest request,
      SourceColumns source,
      SourceFile first,
      List<String> columns) {
    if (format == SourceFormat.JSON) {
      return;
    }
    for (String field : table.requiredSourceFields()) {
      if (!source.has(field) && !request.constants().containsKey(field)) {
        throw JobErrors.invalidInput(
            "column `"
                + field
                + "` is missing from "
                + SourceListing.fileName(first.uri())
                + " (found: "
                + String.join(", ", columns)
                + "); map it with --map "
                + field
                + "=<column>");
      }
    }
    if (table == BronzeTable.EVENTS
        && !source.has(SilverInteractions.EVENT_TYPE)
        && !request.constants().containsKey(SilverInteractions.EVENT_TYPE)) {
      throw JobErrors.invalidInput(
          SourceListing.fileName(first.uri())
              + " has no event_type column (found: "
              + String.join(", ", columns)
              + "); map one with --map event_type=<column> or give every row the same type with "
              + "--constant event_type=rating");
    }
  }

  private static List<String> headerlessColumns(IngestRequest request, SourceFile first) {
    if (request.columns().isEmpty()) {
      throw JobErrors.invalidInput(
          SourceListing.fileName(first.uri())
              + " is read without a header, so its columns need names; pass "
              + "--columns user_id,item_id,... in file order");
    }
    return request.columns();
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
