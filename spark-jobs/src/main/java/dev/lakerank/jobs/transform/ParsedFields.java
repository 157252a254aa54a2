package dev.lakerank.jobs.transform;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Raw text fields read once into typed columns named {@code _parsed_<field>}, which the rules check
 * and silver keeps. Reading a timestamp or a number is most of what validation costs, so each field
 * is read once per row.
 */
public final class ParsedFields {
  private static final String PREFIX = "_parsed_";

  private ParsedFields() {}

  /** The typed column of {@code field}. */
  public static Column of(String field) {
    return col(PREFIX + field);
  }

  /** {@code rows} with a typed column for each field of {@code parsers}. */
  public static Dataset<Row> add(Dataset<Row> rows, Map<String, UnaryOperator<Column>> parsers) {
    Dataset<Row> parsed = rows;
    for (Map.Entry<String, UnaryOperator<Column>> parser : parsers.entrySet()) {
      parsed =
          parsed.withColumn(
              PREFIX + parser.getKey(), parser.getValue().apply(col(parser.getKey())));
    }
    return parsed;
  }

  /** {@code rows} without the typed columns. */
  public static Dataset<Row> drop(Dataset<Row> rows) {
    return rows.drop(
        Arrays.stream(rows.columns()).filter(c -> c.startsWith(PREFIX)).toArray(String[]::new));
  }
}
