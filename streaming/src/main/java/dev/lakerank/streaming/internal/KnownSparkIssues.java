package dev.lakerank.streaming.internal;

/** Failures of Spark itself that the streaming commands work around, each with its issue. */
public final class KnownSparkIssues {
  private KnownSparkIssues() {}

  /**
   * SPARK-55271 / SPARK-57438 (Spark 4.1.0 to 4.1.3): a Kafka query that resumes a micro-batch
   * planned before a crash runs and commits that batch, then fails with a NullPointerException in
   * {@code KafkaMicroBatchStream.metrics} while reporting its progress, because it never asked
   * Kafka for the latest offsets. The batch is committed, so starting the query again goes on
   * normally.
   */
  public static boolean isKafkaMetricsAfterRecovery(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NullPointerException) {
        for (StackTraceElement frame : t.getStackTrace()) {
          if (frame.getClassName().startsWith("org.apache.spark.sql.kafka010.KafkaMicroBatchStream")
              && frame.getMethodName().equals("metrics")) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
