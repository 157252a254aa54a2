package dev.lakerank.jobs.train;

import dev.lakerank.jobs.catalog.Lakehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.spark.SparkContext;

/**
 * ALS truncates its lineage every {@code checkpointInterval} iterations, but only when Spark has a
 * checkpoint directory; without one, 20 iterations overflow the stack. This sets one when the user
 * did not: a temporary directory in local mode, {@code <lakehouse>/_checkpoints} on a cluster.
 */
final class Checkpoints {
  private Checkpoints() {}

  static void ensure(Lakehouse lakehouse) {
    SparkContext context = lakehouse.spark().sparkContext();
    if (context.getCheckpointDir().isDefined()) {
      return;
    }
    if (context.isLocal()) {
      try {
        context.setCheckpointDir(
            Files.createTempDirectory("lakerank-checkpoints-").toUri().toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary checkpoint directory", e);
      }
    } else {
      context.setCheckpointDir(lakehouse.root() + "/_checkpoints");
    }
  }
}
