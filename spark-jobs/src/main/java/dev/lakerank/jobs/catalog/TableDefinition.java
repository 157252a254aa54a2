package dev.lakerank.jobs.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * What a table is: its name, schema, Delta properties, the columns {@code maintain} Z-orders by and
 * a sentence for people. Each table has one owning class in {@code dev.lakerank.jobs.tables} that
 * holds its definition.
 *
 * @param zOrderColumns columns OPTIMIZE clusters by; empty where Z-order does not pay (small or
 *     append-only tables read in full)
 */
public record TableDefinition(
    TableName name,
    StructType schema,
    Map<String, String> properties,
    List<String> zOrderColumns,
    String description) {
  /** Delta property that refuses updates and deletes: bronze is append-only. */
  public static final String APPEND_ONLY = "delta.appendOnly";

  /** Delta property that records row-level changes, read by the incremental transform. */
  public static final String CHANGE_DATA_FEED = "delta.enableChangeDataFeed";

  public TableDefinition {
    requireNonNull(name, "name");
    requireNonNull(schema, "schema");
    properties = Map.copyOf(properties);
    zOrderColumns = List.copyOf(zOrderColumns);
    requireNonNull(description, "description");
  }
}
