package dev.lakerank.jobs.catalog;

import static java.util.Objects.requireNonNull;

import dev.lakerank.jobs.JobErrors;

/**
 * A table as analysts name it in SQL: {@code <schema>.<table>}, for example {@code
 * silver.interactions}.
 */
public record TableName(String schema, String table) {
  private static final String PART = "[a-z][a-z0-9_]*";

  public TableName {
    requireNonNull(schema, "schema");
    requireNonNull(table, "table");
    if (!schema.matches(PART) || !table.matches(PART)) {
      throw JobErrors.invalidInput(
          "table name `"
              + schema
              + "."
              + table
              + "` is not of the form <schema>.<table> in lower "
              + "case letters, digits and _");
    }
  }

  /** Parses {@code "silver.interactions"}. */
  public static TableName parse(String text) {
    int dot = text.indexOf('.');
    if (dot <= 0 || dot != text.lastIndexOf('.')) {
      throw JobErrors.invalidInput(
          "table name `"
              + text
              + "` is not of the form <schema>.<table>, for example silver.interactions");
    }
    return new TableName(text.substring(0, dot), text.substring(dot + 1));
  }

  @Override
  public String toString() {
    return schema + "." + table;
  }
}
