package dev.lakerank.jobs.maintain;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.tables.TableCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code lakerank maintain}: OPTIMIZE (compaction, or Z-order by the entity key where the table is
 * large enough for it to pay) and VACUUM with a retention that keeps time travel and running
 * readers safe.
 */
public final class MaintainJob {
  /** Delta's own default retention; shorter needs {@code unsafeRetention}. */
  public static final Duration SAFE_RETENTION = Duration.ofHours(168);

  /**
   * Below this size OPTIMIZE writes a single file and Z-order has nothing to skip between, so the
   * table is only compacted.
   */
  public static final long Z_ORDER_MIN_BYTES = 256L * 1024 * 1024;

  private final Lakehouse lakehouse;
  private final SparkSession spark;
  private final Reporter reporter;

  public MaintainJob(Lakehouse lakehouse, Reporter reporter) {
    this.lakehouse = lakehouse;
    this.spark = lakehouse.spark();
    this.reporter = reporter;
  }

  /** When to Z-order. */
  public enum ZOrder {
    /** Tables with Z-order columns and at least {@link #Z_ORDER_MIN_BYTES}. */
    AUTO,
    /** Every table with Z-order columns. */
    ALWAYS,
    /** Compaction only. */
    NEVER
  }

  /**
   * What to do.
   *
   * @param table one table, or every table when empty
   * @param retention how long VACUUM keeps files that are no longer part of a table
   * @param unsafeRetention allow a retention shorter than {@link #SAFE_RETENTION}
   * @param dryRun report what VACUUM would delete without deleting it
   */
  public record Options(
      Optional<TableName> table,
      boolean optimize,
      ZOrder zOrder,
      boolean vacuum,
      Duration retention,
      boolean unsafeRetention,
      boolean dryRun) {}

  /** What was done to one table. */
  public record Result(
      TableName table,
      long filesBefore,
      long filesAfter,
      List<String> zOrderedBy,
      long filesVacuumable,
      boolean vacuumed) {}

  public List<Result> run(Options options) {
    if (options.vacuum()
        && options.retention().compareTo(SAFE_RETENTION) < 0
        && !options.unsafeRetention()) {
      throw JobErrors.invalidInput(
          "a VACUUM retention of "
              + options.retention().toHours()
              + "h is shorter than the safe "
              + SAFE_RETENTION.toHours()
              + "h: files still needed by time travel or by running readers "
              + "would be deleted. Pass --unsafe-retention if that is what you want");
    }
    List<TableName> tables = options.table().map(List::of).orElseGet(lakehouse::tables);
    List<Result> results = new ArrayList<>();
    for (TableName table : tables) {
      if (!lakehouse.exists(table)) {
        throw JobErrors.notFound(
            "table "
                + table
                + " does not exist under "
                + lakehouse.root()
                + " (see lakerank tables)");
      }
      results.add(maintain(table, options));
    }
    return results;
  }

  private Result maintain(TableName table, Options options) {
    String location = lakehouse.location(table);
    Row before = detail(location);
    long filesBefore = before.getAs("numFiles");
    List<String> zOrderBy = List.of();
    if (options.optimize()) {
      List<String> columns =
          TableCatalog.find(table).map(TableDefinition::zOrderColumns).orElse(List.of());
      long size = before.getAs("sizeInBytes");
      boolean zOrder =
          !columns.isEmpty()
              && (options.zOrder() == ZOrder.ALWAYS
                  || (options.zOrder() == ZOrder.AUTO && size >= Z_ORDER_MIN_BYTES));
      reporter.step(
          "maintain "
              + table
              + ": OPTIMIZE"
              + (zOrder ? " ZORDER BY (" + String.join(", ", columns) + ")" : ""));
      if (zOrder) {
        lakehouse.delta(table).optimize().executeZOrderBy(columns.toArray(String[]::new));
        zOrderBy = columns;
      } else {
        lakehouse.delta(table).optimize().executeCompaction();
      }
    }
    long filesAfter = detail(location).getAs("numFiles");

    long vacuumable = 0;
    boolean vacuumed = false;
    if (options.vacuum()) {
      double hours = options.retention().toMillis() / 3_600_000.0;
      String checkKey = "spark.databricks.delta.retentionDurationCheck.enabled";
      String previous = spark.conf().get(checkKey, "true");
      if (options.unsafeRetention()) {
        spark.conf().set(checkKey, "false");
      }
      try {
        reporter.step(
            "maintain "
                + table
                + ": VACUUM RETAIN "
                + hours
                + " HOURS"
                + (options.dryRun() ? " DRY RUN" : ""));
        vacuumable =
            spark.sql("VACUUM delta.`" + location + "` RETAIN " + hours + " HOURS DRY RUN").count();
        if (!options.dryRun() && vacuumable > 0) {
          lakehouse.delta(table).vacuum(hours);
          vacuumed = true;
        }
      } finally {
        spark.conf().set(checkKey, previous);
      }
    }
    return new Result(table, filesBefore, filesAfter, zOrderBy, vacuumable, vacuumed);
  }

  private Row detail(String location) {
    return spark.sql("DESCRIBE DETAIL delta.`" + location + "`").head();
  }
}
