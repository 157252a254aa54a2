package dev.lakerank.streaming.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** Keeps the Kafka broker and clients quiet unless asked, as the jobs keep Spark quiet. */
public final class StreamingLogs {
  private StreamingLogs() {}

  public static void apply(boolean verbose) {
    if (verbose) {
      return;
    }
    // the broker logs its whole configuration and every partition change at INFO, and warns on a
    // clean start; the clients warn of every reconnection
    for (String logger :
        new String[] {
          "kafka",
          "org.apache.kafka",
          "state.change.logger",
          "org.apache.spark.sql.kafka010",
          "org.apache.spark.sql.execution.streaming"
        }) {
      Configurator.setLevel(logger, Level.ERROR);
    }
  }
}
