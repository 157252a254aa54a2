package dev.lakerank.streaming.internal;

import dev.lakerank.jobs.config.LakerankConfig.StreamSettings;
import org.apache.spark.sql.SparkSession;

/** The session settings the streaming queries run with, set before a query starts. */
public final class StreamSession {
  private StreamSession() {}

  /**
   * Sets the shuffle partitions of the queries (kept in a query's checkpoint at its first start)
   * and lets Delta reads of the dimension tables use a snapshot up to {@code
   * stream.dimension-refresh} old instead of listing each table's log on every micro-batch. Writes
   * always commit on the latest snapshot. Delta rebuilds a table's state after each commit with as
   * many tasks as the stream's shuffles.
   */
  public static void configure(SparkSession spark, StreamSettings settings) {
    spark
        .conf()
        .set("spark.sql.shuffle.partitions", Integer.toString(settings.shufflePartitions()));
    spark
        .conf()
        .set(
            "spark.databricks.delta.stalenessLimit", settings.dimensionRefresh().toMillis() + "ms");
    // every commit of a micro-batch makes Delta rebuild the table's state: with as few tasks as the
    // stream has
    spark
        .conf()
        .set(
            "spark.databricks.delta.snapshotPartitions",
            Integer.toString(settings.shufflePartitions()));
  }
}
