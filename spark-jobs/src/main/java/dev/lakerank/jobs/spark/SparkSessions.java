package dev.lakerank.jobs.spark;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.config.LakerankConfig.SparkSettings;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession the jobs run in: Delta's extension and catalog, UTC, and in local mode
 * loopback and {@code file:} through {@link NioLocalFileSystem} and {@link NioLocalFs}. Settings
 * given by spark-submit ({@code spark.*} system properties) win over Lakerank's.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** Creates (or joins) the session for {@code settings}. */
  public static SparkSession create(SparkSettings settings) {
    SparkConf conf = configure(new SparkConf(), settings);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  private static final String SESSION_TIME_ZONE = "spark.sql.session.timeZone";

  /** Hadoop's implementation of {@code file:} for the FileSystem API. */
  static final String LOCAL_FILE_SYSTEM = "spark.hadoop.fs.file.impl";

  /** Hadoop's implementation of {@code file:} for the FileContext API. */
  static final String LOCAL_FILE_CONTEXT = "spark.hadoop.fs.AbstractFileSystem.file.impl";

  /** Applies Lakerank's settings to {@code conf}, keeping what spark-submit already set. */
  public static SparkConf configure(SparkConf conf, SparkSettings settings) {
    conf.setIfMissing("spark.master", settings.master());
    conf.setIfMissing("spark.app.name", "lakerank");
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", settings.driverHost());
      conf.setIfMissing("spark.driver.bindAddress", settings.driverHost());
      // file: without a process per written or renamed file (NioRawLocalFileSystem): streaming
      // checkpoints and Delta commits on a local disk started ~100 per micro-batch. Local mode
      // only: a cluster's executors would need Lakerank's jar before they open any file.
      conf.setIfMissing(LOCAL_FILE_SYSTEM, NioLocalFileSystem.class.getName());
      conf.setIfMissing(LOCAL_FILE_CONTEXT, NioLocalFs.class.getName());
    }
    conf.setIfMissing("spark.ui.enabled", Boolean.toString(settings.ui()));
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    conf.setIfMissing(
        "spark.sql.shuffle.partitions", Integer.toString(settings.shufflePartitions()));
    conf.setIfMissing("spark.default.parallelism", Integer.toString(settings.shufflePartitions()));
    // Delta reads its log with this many partitions (default 50): far too many for small tables.
    conf.setIfMissing(
        "spark.databricks.delta.snapshotPartitions",
        Integer.toString(Math.min(50, settings.shufflePartitions())));
    // VACUUM lists a table's files with this many tasks (default 10000): minutes for a small table
    conf.setIfMissing(
        "spark.sql.sources.parallelPartitionDiscovery.parallelism",
        Integer.toString(settings.shufflePartitions()));
    // lower() through ICU instead of the JVM measured as the largest single cost of validating an
    // event; the JVM's case mapping is what UTF8_BINARY strings need
    conf.setIfMissing("spark.sql.icu.caseMappings.enabled", "false");
    for (Map.Entry<String, String> entry : settings.extraConf().entrySet()) {
      conf.set(entry.getKey(), entry.getValue());
    }
    // Not overridable: every table and feature is defined in UTC (daily snapshots at 00:00 UTC),
    // and a session in another zone would shift dates and hours and leak an hour of the future.
    String zone = conf.get(SESSION_TIME_ZONE, "UTC");
    if (!isUtc(zone)) {
      throw JobErrors.configuration(
          SESSION_TIME_ZONE
              + "="
              + zone
              + ": Lakerank computes dates, hours and daily feature snapshots in UTC; "
              + "remove the setting (convert times for display in SQL with from_utc_timestamp)");
    }
    conf.set(SESSION_TIME_ZONE, "UTC");
    conf.set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    return conf;
  }

  private static boolean isUtc(String zone) {
    try {
      return java.time.ZoneId.of(zone).normalized().equals(java.time.ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      return false;
    }
  }
}
