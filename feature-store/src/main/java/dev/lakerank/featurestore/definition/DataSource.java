package dev.lakerank.featurestore.definition;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where a feature view's offline rows live: a Delta table of the lakehouse, named {@code
 * <schema>.<table>}, with its event-time column and, optionally, the column that breaks ties
 * between rows of the same event time (Feast's {@code created_timestamp_column}).
 */
public record DataSource(
    String name, String table, String timestampField, String createdTimestampColumn) {
  public DataSource {
    requireNonNull(name, "name");
    requireNonNull(table, "table");
    requireNonNull(timestampField, "timestampField");
  }

  /** The tie-breaking column, when the source has one. */
  public Optional<String> createdTimestamp() {
    return Optional.ofNullable(createdTimestampColumn);
  }
}
