package dev.lakerank.jobs.query;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code lakerank sql} and {@code lakerank tables}: Spark SQL over every table of the lakehouse,
 * named {@code <schema>.<table>}, with Delta's {@code VERSION AS OF}, {@code TIMESTAMP AS OF} and
 * {@code DESCRIBE HISTORY}.
 */
public final class SqlQueries {
  private final Lakehouse lakehouse;
  private final SparkSession spark;
  private boolean registered;

  public SqlQueries(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
    this.spark = lakehouse.spark();
  }

  /**
   * A query's result: column names and up to {@code limit} rows as text, and whether more were cut.
   */
  public record Result(List<String> columns, List<List<String>> rows, boolean truncated) {}

  /**
   * Runs {@code sql} and returns at most {@code limit} rows.
   *
   * @throws LakerankException with Spark's message and the known tables when the query is wrong
   */
  public Result run(String sql, int limit) {
    register();
    Dataset<Row> result;
    try {
      result = spark.sql(sql);
    } catch (Exception e) {
      // Spark's AnalysisException (and ParseException, a subclass) is checked in Java's eyes but
      // undeclared, so it can only be caught as Exception
      if (!(e instanceof AnalysisException)) {
        throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
      }
      List<TableName> tables = lakehouse.tables();
      throw JobErrors.notFound(
          firstLine(e.getMessage())
              + "\n"
              + (tables.isEmpty()
                  ? "there are no tables under "
                      + lakehouse.root()
                      + " yet; run `lakerank pipeline run`"
                  : "tables: "
                      + String.join(", ", tables.stream().map(TableName::toString).toList())),
          e);
    }
    List<String> columns = List.of(result.columns());
    List<Row> rows = result.limit(limit + 1).collectAsList();
    List<List<String>> text = new ArrayList<>();
    for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        cells.add(row.isNullAt(i) ? null : text(row.get(i)));
      }
      text.add(cells);
    }
    return new Result(columns, text, rows.size() > limit);
  }

  /**
   * A cell as SQL shows it: arrays {@code [1, 2]}, maps {@code {a -> 1}}, structs {@code {1, x}};
   * not Scala's toString.
   */
  static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      List<String> items = new ArrayList<>();
      scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(item -> items.add(text(item)));
      return "[" + String.join(", ", items) + "]";
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      List<String> entries = new ArrayList<>();
      scala.jdk.javaapi.CollectionConverters.asJava(map)
          .forEach((k, v) -> entries.add(text(k) + " -> " + text(v)));
      return "{" + String.join(", ", entries) + "}";
    }
    if (value instanceof Row struct) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < struct.length(); i++) {
        fields.add(text(struct.get(i)));
      }
      return "{" + String.join(", ", fields) + "}";
    }
    return String.valueOf(value);
  }

  /** One line per table: version, rows, files, size, last change and location. */
  public Result tables() {
    List<List<String>> rows = new ArrayList<>();
    for (TableName table : lakehouse.tables()) {
      Row detail = spark.sql("DESCRIBE DETAIL delta.`" + lakehouse.location(table) + "`").head();
      long count = lakehouse.read(table).count();
      rows.add(
          List.of(
              table.toString(),
              Long.toString(lakehouse.version(table)),
              Long.toString(count),
              String.valueOf(detail.<Long>getAs("numFiles")),
              humanBytes(detail.<Long>getAs("sizeInBytes")),
              String.valueOf(detail.<java.sql.Timestamp>getAs("lastModified").toInstant()),
              lakehouse.location(table)));
    }
    return new Result(
        List.of("table", "version", "rows", "files", "size", "last_modified", "location"),
        rows,
        false);
  }

  private void register() {
    if (!registered) {
      lakehouse.registerAll();
      registered = true;
    }
  }

  static String humanBytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format("%.1f %s", value, units[unit]);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "the query failed";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
