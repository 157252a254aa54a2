package dev.lakerank.jobs.testing;

import dev.lakerank.jobs.config.LakerankConfig.SparkSettings;
import dev.lakerank.jobs.spark.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM: local[2], loopback, no UI, two shuffle partitions. Started on
 * first use and stopped when the JVM exits; test classes share it.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  /** The session, started on first call. */
  public static synchronized SparkSession session() {
    if (session == null) {
      Path warehouse;
      try {
        warehouse = Files.createTempDirectory("lakerank-test-warehouse");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      SparkSettings settings =
          new SparkSettings(
              "local[2]",
              2,
              false,
              "127.0.0.1",
              Map.of(
                  "spark.sql.warehouse.dir", warehouse.toUri().toString(),
                  "spark.sql.adaptive.coalescePartitions.initialPartitionNum", "2",
                  "spark.databricks.delta.stalenessLimit", "0"));
      session = SparkSessions.create(settings);
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}
