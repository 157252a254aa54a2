package dev.lakerank.jobs.catalog;

import static java.util.Objects.requireNonNull;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * The Delta tables under one root directory or URI, laid out as {@code <root>/<schema>/<table>}.
 *
 * <p>Jobs read and write tables by location, so nothing depends on a metastore. For SQL, {@link
 * #registerAll()} names every table in the session catalog as {@code <schema>.<table>}.
 */
public final class Lakehouse {
  private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

  private final SparkSession spark;
  private final String root;

  public Lakehouse(SparkSession spark, String root) {
    this.spark = requireNonNull(spark, "spark");
    this.root = normalize(requireNonNull(root, "root"));
  }

  /** Makes a local path absolute; keeps URIs (s3a://, file:, hdfs://) as they are. */
  public static String normalize(String location) {
    String trimmed =
        location.endsWith("/") && location.length() > 1
            ? location.substring(0, location.length() - 1)
            : location;
    if (URI_SCHEME.matcher(trimmed).matches()) {
      return trimmed;
    }
    return Paths.get(trimmed).toAbsolutePath().normalize().toString();
  }

  public SparkSession spark() {
    return spark;
  }

  /** The root, absolute. */
  public String root() {
    return root;
  }

  /** Where {@code table} lives. */
  public String location(TableName table) {
    return root + "/" + table.schema() + "/" + table.table();
  }

  /** Whether {@code table} exists as a Delta table. */
  public boolean exists(TableName table) {
    return DeltaTable.isDeltaTable(spark, location(table));
  }

  /**
   * The current contents of {@code table}.
   *
   * @throws LakerankException naming the command that creates the table when it does not exist
   */
  public Dataset<Row> read(TableName table) {
    requireExists(table);
    return spark.read().format("delta").load(location(table));
  }

  /** The contents of {@code table} at {@code version} (time travel). */
  public Dataset<Row> read(TableName table, long version) {
    requireExists(table);
    return spark.read().format("delta").option("versionAsOf", version).load(location(table));
  }

  /** The Delta API handle of {@code table}. */
  public DeltaTable delta(TableName table) {
    requireExists(table);
    return DeltaTable.forPath(spark, location(table));
  }

  /** The latest committed version of {@code table}, or -1 when it does not exist. */
  public long version(TableName table) {
    if (!exists(table)) {
      return -1;
    }
    return DeltaTable.forPath(spark, location(table))
        .history(1)
        .select("version")
        .head()
        .getLong(0);
  }

  /** Creates the table of {@code definition} unless it exists; never changes an existing one. */
  public void createIfNotExists(TableDefinition definition) {
    if (exists(definition.name())) {
      return;
    }
    DeltaTableBuilder builder =
        DeltaTable.createIfNotExists(spark)
            .location(location(definition.name()))
            .comment(definition.description());
    for (StructField field : definition.schema().fields()) {
      builder = builder.addColumn(field);
    }
    for (Map.Entry<String, String> property : definition.properties().entrySet()) {
      builder = builder.property(property.getKey(), property.getValue());
    }
    builder.execute();
  }

  /** Every Delta table under the root, by schema then name. */
  public List<TableName> tables() {
    List<TableName> tables = new ArrayList<>();
    try {
      Path rootPath = new Path(root);
      FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(rootPath)) {
        return tables;
      }
      for (FileStatus schema : fs.listStatus(rootPath)) {
        if (!schema.isDirectory() || !isName(schema.getPath().getName())) {
          continue;
        }
        for (FileStatus table : fs.listStatus(schema.getPath())) {
          if (table.isDirectory()
              && isName(table.getPath().getName())
              && fs.exists(new Path(table.getPath(), "_delta_log"))) {
            tables.add(new TableName(schema.getPath().getName(), table.getPath().getName()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list tables under " + root, e);
    }
    tables.sort(Comparator.comparing(TableName::toString));
    return tables;
  }

  /**
   * Names every table in the session catalog, so that SQL can say {@code silver.interactions},
   * {@code VERSION AS OF} and {@code DESCRIBE HISTORY}.
   */
  public List<TableName> registerAll() {
    List<TableName> tables = tables();
    for (TableName table : tables) {
      spark.sql(
          "CREATE SCHEMA IF NOT EXISTS "
              + table.schema()
              + " LOCATION '"
              + escape(root + "/" + table.schema())
              + "'");
      spark.sql(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " USING delta LOCATION '"
              + escape(location(table))
              + "'");
    }
    return tables;
  }

  private void requireExists(TableName table) {
    if (!exists(table)) {
      throw JobErrors.notFound(
          "table " + table + " does not exist under " + root + "; " + howToCreate(table));
    }
  }

  private static String howToCreate(TableName table) {
    return switch (table.schema()) {
      case "bronze" -> "ingest source files first (lakerank ingest <files>)";
      case "silver", "quarantine" -> "run lakerank transform after ingesting";
      case "gold" -> "run lakerank features after transform";
      default -> "run lakerank pipeline run to build every table";
    };
  }

  private static boolean isName(String name) {
    return name.matches("[a-z][a-z0-9_]*");
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("'", "\\'");
  }
}
